# An SMTP server for the e-mail tests: aiosmtpd (Debian python3-aiosmtpd) on
# 127.0.0.1, a port of its own choosing written to <out>/port. Each message it
# accepts is parsed with Python's `email` package and summarised as
# <out>/<n>.json. It stops on SIGTERM, or by itself after two minutes.
#
#   python3 email_smtp_server.py plain|starttls|smtps <out> <cert.pem> <key.pem> <user> <password>
#
# Recipients starting with "refuse" get 550, with "busy" 451.
import asyncio, email, email.policy, json, logging, os, ssl, sys, warnings
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

mode, out, cert, key, user, password = sys.argv[1:7]
logging.disable(logging.CRITICAL)  # refused handshakes and SMTPS with AUTH are expected here
warnings.simplefilter("ignore")

class Handler:
    count = 0
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("refuse"):
            return "550 5.1.1 No such user here"
        if address.startswith("busy"):
            return "451 4.3.0 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        lines = raw.split(b"\r\n")
        parts = []
        for p in msg.walk():
            if p.is_multipart():
                continue
            parts.append({"type": p.get_content_type(), "charset": p.get_content_charset(),
                          "encoding": p.get("Content-Transfer-Encoding"), "text": p.get_content().replace("\r\n", "\n"),
                          "defects": [type(d).__name__ for d in p.defects]})
        summary = {
            "mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
            "tls": server.transport.get_extra_info("ssl_object") is not None,
            "authenticated": bool(session.authenticated),
            "login": session.auth_data.login.decode() if session.authenticated else None,
            "from": str(msg["From"]), "from_addr": msg["From"].addresses[0].addr_spec,
            "from_name": msg["From"].addresses[0].display_name,
            "to": msg["To"].addresses[0].addr_spec, "subject": str(msg["Subject"]),
            "date": msg["Date"].datetime.isoformat(), "message_id": str(msg["Message-ID"]),
            "mime_version": str(msg["MIME-Version"]), "content_type": msg.get_content_type(),
            "parts": parts, "defects": [type(d).__name__ for d in msg.defects],
            "max_line": max(len(l) for l in lines),
            "bare_lf": any(b"\n" in l or b"\r" in l for l in lines),
        }
        Handler.count += 1
        path = os.path.join(out, "%d.json" % Handler.count)
        with open(path + ".tmp", "w") as f:
            json.dump(summary, f, ensure_ascii=False)
        os.rename(path + ".tmp", path)
        return "250 Message accepted for delivery"

def authenticate(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == user.encode() \
        and auth_data.password == password.encode()
    return AuthResult(success=ok, handled=False, auth_data=auth_data)

ctx = None
if mode != "plain":
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)

def factory():
    if mode == "starttls":
        return SMTP(Handler(), hostname="localhost", tls_context=ctx, require_starttls=True,
                    authenticator=authenticate, auth_required=True, auth_require_tls=True)
    return SMTP(Handler(), hostname="localhost", authenticator=authenticate, auth_required=(mode == "smtps"),
                auth_require_tls=False)

loop = asyncio.new_event_loop()
server = loop.run_until_complete(loop.create_server(factory, "127.0.0.1", 0, ssl=ctx if mode == "smtps" else None))
with open(os.path.join(out, "port.tmp"), "w") as f:
    f.write(str(server.sockets[0].getsockname()[1]))
os.rename(os.path.join(out, "port.tmp"), os.path.join(out, "port"))
loop.call_later(120, loop.stop)
loop.run_forever()
