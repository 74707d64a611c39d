#!/usr/bin/env python3
"""Writes the seed corpus (tests/fuzz/corpus/<target>/) from the unit tests'
own inputs: command lines and time expressions from tests/unit/lang, CSV files
from tests/fixtures/csv, the example configs, and webhook bodies as the adapter
tests build them. Run it again when those change; libFuzzer adds what it finds
in its own working corpus (bench/fuzz.sh), not here."""
import base64, hashlib, json, os, re, sys
from urllib.parse import quote_plus

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "fuzz", "corpus")


def write(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def c_strings(path, pattern):
    text = open(os.path.join(ROOT, path), encoding="utf-8").read()
    out = []
    for m in re.finditer(pattern, text):
        s = m.group(1)
        try:
            s = s.encode("latin-1", "backslashreplace").decode("unicode_escape").encode("latin-1").decode("utf-8")
        except (UnicodeDecodeError, UnicodeEncodeError):
            continue
        out.append(s)
    return out


def unique(xs):
    seen, out = set(), []
    for x in xs:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


def request(line, headers, body, sign=True):
    head = [line] if line else []
    if sign:
        head.append("Fuzz-Sign: 1")
    head += [f"{k}: {v}" for k, v in headers]
    return "\n".join(head) + "\n\n" + body


# ---- the command language and time expressions -------------------------------------
STR = r'"((?:[^"\\]|\\.)*)"'
lines = []
for f in ["command_parse_test.cpp", "manager_command_test.cpp", "command_errors_test.cpp"]:
    lines += c_strings("tests/unit/lang/" + f, r"Case\{" + STR)
lines = unique(lines)
for i, s in enumerate(lines[::4]):  # every fourth: the table has many near-repeats
    write("fuzz_command", f"line-{i:03d}", s)

times = []
for f in ["time_deadlines_test.cpp", "time_expr_shanghai_test.cpp", "time_expr_zones_test.cpp",
          "time_prefix_test.cpp"]:
    times += c_strings("tests/unit/lang/" + f, r"(?:resolves|fails|time_prefix_length)\(" + STR)
    times += c_strings("tests/unit/lang/" + f, r"\{" + STR + ", ")
times = unique(times)
for i, s in enumerate(times[::2]):
    write("fuzz_time", f"expr-{i:03d}", s)

# ---- CSV import and the config -------------------------------------------------------
for f in sorted(os.listdir(os.path.join(ROOT, "tests/fixtures/csv"))):
    write("fuzz_csv_import", f, open(os.path.join(ROOT, "tests/fixtures/csv", f), "rb").read())
for f in ["example.json", "demo.json"]:
    write("fuzz_config", f, open(os.path.join(ROOT, "config", f), "rb").read())
write("fuzz_config", "platforms.json", json.dumps({
    "teams": [{"name": "East", "sop": {"tier_a_days": 3}}],
    "users": [{"handle": "li", "role": "manager", "team": "East", "identities": {"telegram": "42"}, "notify": "telegram"},
              {"handle": "boss", "role": "admin"}],
    "telegram": {"enabled": True, "token": "123:abc", "secret_token": "s3cret", "mode": "webhook"},
    "slack": {"enabled": False}, "feishu": {"enabled": False}, "dingtalk": {"enabled": False},
    "wecom": {"enabled": False}, "email": {"enabled": False},
    "calendar": {"holidays": "none"}, "http": {"proxy": "http://user:pw@127.0.0.1:3128"},
}, ensure_ascii=False, indent=1))

# ---- the HTTP request head -----------------------------------------------------------
heads = {
    "get": "GET /health HTTP/1.1\r\nHost: x\r\n\r\n",
    "post": "POST /api/customers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            "Content-Length: 15\r\nX-Request-Id: abc-1\r\n\r\n{\"name\":\"Acme\"}",
    "chunked": "POST /hooks/telegram HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
               "5\r\nhello\r\n0\r\n\r\n",
    "pipelined": "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b?c=%FF HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    "http10": "GET / HTTP/1.0\r\n\r\n",
    "bad-length": "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
    "two-lengths": "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
    "garbage": "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
}
for k, v in heads.items():
    write("fuzz_http_head", k, v.encode("latin-1"))

# ---- webhooks ------------------------------------------------------------------------
# Telegram
tg_private = {"update_id": 1001, "message": {"message_id": 7, "date": 1700000000,
              "from": {"id": 123456789, "is_bot": False, "first_name": "Maria"},
              "chat": {"id": 123456789, "type": "private", "first_name": "Maria"}, "text": "/today"}}
tg_group = {"update_id": 5, "message": {"message_id": 9, "from": {"id": 42, "is_bot": False},
            "chat": {"id": -1001234567890, "type": "supergroup", "title": "Sales"}, "text": "/today@FollowupBot 明天"}}
tg_callback = {"update_id": 1002, "callback_query": {"id": "4382bfdwdsb323b2d9",
               "from": {"id": 123456789, "is_bot": False}, "data": "done 17",
               "message": {"message_id": 55, "chat": {"id": 123456789, "type": "private"}, "text": "Call Acme"}}}
for name, body in [("private", tg_private), ("group", tg_group), ("callback", tg_callback)]:
    write("fuzz_telegram", name, request("POST /hooks/telegram", [("Content-Type", "application/json")],
                                         json.dumps(body, ensure_ascii=False)))
write("fuzz_telegram", "wrong-secret", request("POST /hooks/telegram", [("X-Telegram-Bot-Api-Secret-Token", "nope")],
                                               json.dumps(tg_private), sign=False))
write("fuzz_telegram", "batch", request("", [], json.dumps({"ok": True, "result": [tg_private, tg_callback]})))

# Slack
sl_dm = {"token": "x", "team_id": "T0FU", "api_app_id": "A1", "type": "event_callback", "event_id": "Ev0PV52K21",
         "event_time": 1700000000, "event": {"type": "message", "channel": "D0MARIA", "user": "U123",
         "text": "customer add A&amp;B &lt;Ltd&gt;", "ts": "1700000000.000100", "channel_type": "im"}}
sl_mention = {"type": "event_callback", "event_id": "Ev2", "event": {"type": "app_mention", "user": "U1",
              "channel": "C1", "text": "<@UBOT> 今天"}}
sl_challenge = {"token": "t", "challenge": "abc123", "type": "url_verification"}
write("fuzz_slack", "event-dm", request("POST /hooks/slack/events", [("Content-Type", "application/json")], json.dumps(sl_dm)))
write("fuzz_slack", "event-mention", request("POST /hooks/slack/events", [], json.dumps(sl_mention, ensure_ascii=False)))
write("fuzz_slack", "challenge", request("POST /hooks/slack/events", [], json.dumps(sl_challenge)))
write("fuzz_slack", "command", request("POST /hooks/slack/commands", [("Content-Type", "application/x-www-form-urlencoded")],
      "token=x&team_id=T0FU&channel_id=C0SALES&user_id=U123&command=%2Ffollowup"
      "&text=followup+Acme+in+2h+%E6%89%93%E7%94%B5%E8%AF%9D+%26+mail+1%2B1&trigger_id=13345224609.738474920.8088930838d88f008e0"))
write("fuzz_slack", "command-stranger", request("POST /hooks/slack/commands", [],
      "user_id=stranger&channel_id=D1&trigger_id=t&text=today"))
payload = {"type": "block_actions", "user": {"id": "U123", "username": "maria", "team_id": "T0FU"}, "api_app_id": "A1",
           "container": {"type": "message", "message_ts": "1700000100.000200", "channel_id": "D0MARIA", "is_ephemeral": False},
           "trigger_id": "123.456.789", "channel": {"id": "D0MARIA", "name": "directmessage"},
           "actions": [{"action_id": "fu_0", "block_id": "b1", "text": {"type": "plain_text", "text": "Done"},
                        "value": "done 17", "type": "button", "action_ts": "1700000123.456789"}]}
write("fuzz_slack", "interactive", request("POST /hooks/slack/interactive", [], "payload=" + quote_plus(json.dumps(payload))))
write("fuzz_slack", "stale", request("POST /hooks/slack/events", [("X-Slack-Request-Timestamp", "1699999000"),
      ("X-Slack-Signature", "v0=" + "0" * 64)], json.dumps(sl_dm), sign=False))

# Feishu (plaintext events: the target seals and signs them; "vt-1" is the Verification Token)
def fs_message(text, chat_type="p2p", mentions=None, event_id="ev-1", create_time="1700000000123"):
    message = {"message_id": "om_msg1", "root_id": "", "parent_id": "", "create_time": create_time,
               "chat_id": "oc_chat1", "chat_type": chat_type, "message_type": "text",
               "content": json.dumps({"text": text}, ensure_ascii=False)}
    if mentions:
        message["mentions"] = mentions
    return {"schema": "2.0", "header": {"event_id": event_id, "event_type": "im.message.receive_v1",
            "create_time": create_time, "token": "vt-1", "app_id": "cli_a1", "tenant_key": "tk"},
            "event": {"sender": {"sender_id": {"union_id": "on_1", "user_id": "u1", "open_id": "ou_wang"},
                                 "sender_type": "user", "tenant_key": "tk"}, "message": message}}
fs_card = {"schema": "2.0", "header": {"event_id": "ev-card-1", "event_type": "card.action.trigger",
           "create_time": "1700000000123456", "token": "vt-1", "app_id": "cli_a1", "tenant_key": "tk"},
           "event": {"operator": {"tenant_key": "tk", "open_id": "ou_wang", "union_id": "on_1"},
                     "token": "c-update-token", "action": {"value": {"command": "done 17"}, "tag": "button"},
                     "host": "im_message", "context": {"open_message_id": "om_card1", "open_chat_id": "oc_chat1"}}}
mention = [{"key": "@_user_1", "id": {"open_id": "ou_bot"}, "name": "Followup"}]
for name, body in [("message", fs_message("  完成 42 已接通 \n")), ("group", fs_message("@_user_1 today", "group", mention)),
                   ("card", fs_card), ("challenge", {"challenge": "c-123", "token": "vt-1", "type": "url_verification"})]:
    write("fuzz_feishu", name, request("POST /hooks/feishu", [("Content-Type", "application/json")],
                                       json.dumps(body, ensure_ascii=False)))
write("fuzz_feishu", "unsigned", request("POST /hooks/feishu", [("X-Lark-Request-Timestamp", "1700000000"),
      ("X-Lark-Request-Nonce", "n1"), ("X-Lark-Signature", "0" * 64)],
      json.dumps({"encrypt": base64.b64encode(b"0123456789abcdef" + b"\x00" * 32).decode()}), sign=False))

# DingTalk
dt_body = {"conversationId": "cidDirectWang==", "atUsers": [], "chatbotCorpId": "dingcorp",
           "chatbotUserId": "$:LWCP_v1:$bot", "msgId": "msgA1", "senderNick": "王伟", "isAdmin": False,
           "senderStaffId": "staff-wang", "sessionWebhookExpiredTime": 1700005400000, "createAt": 1700000000000,
           "senderCorpId": "dingcorp", "conversationType": "1", "senderId": "$:LWCP_v1:$wang",
           "sessionWebhook": "https://oapi.dingtalk.com/robot/sendBySession?session=s1",
           "text": {"content": "今天"}, "robotCode": "dingrobot", "msgtype": "text"}
write("fuzz_dingtalk", "direct", request("POST /hooks/dingtalk", [("Content-Type", "application/json")],
                                         json.dumps(dt_body, ensure_ascii=False)))
group = dict(dt_body, conversationType="2", conversationId="cidGroupSales==", msgId="msgG1",
             text={"content": " @Followup 跟进 Acme 明天上午10点"})
write("fuzz_dingtalk", "group", request("POST /hooks/dingtalk", [], json.dumps(group, ensure_ascii=False)))
write("fuzz_dingtalk", "forged", request("POST /hooks/dingtalk", [("timestamp", "1700000000000"), ("sign", "AAAA")],
                                         json.dumps(dt_body, ensure_ascii=False), sign=False))

# WeCom (plaintext messages: the target seals and signs them for corp "ww1")
wc_text = ("<xml><ToUserName><![CDATA[ww1]]></ToUserName><FromUserName><![CDATA[wang]]></FromUserName>\n"
           "<CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[ 跟进 Acme 明天上午10点 ]]></Content>\n"
           "<MsgId>7300000000000000001</MsgId><AgentID>1000002</AgentID></xml>")
key = "c_" + base64.urlsafe_b64encode("done 17".encode()).decode().rstrip("=")
wc_card = ("<xml><ToUserName><![CDATA[ww1]]></ToUserName><FromUserName><![CDATA[wang]]></FromUserName>"
           "<CreateTime>1700000100</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[template_card_event]]></Event>"
           f"<EventKey><![CDATA[{key}]]></EventKey><TaskId><![CDATA[fu-1700000000-00aa]]></TaskId>"
           "<CardType><![CDATA[button_interaction]]></CardType><ResponseCode><![CDATA[RC_abc-1]]></ResponseCode>"
           "<AgentID>1000002</AgentID></xml>")
write("fuzz_wecom", "text", request("POST /hooks/wecom", [("Content-Type", "text/xml")], wc_text))
write("fuzz_wecom", "card", request("POST /hooks/wecom", [], wc_card))
write("fuzz_wecom", "stranger", request("POST /hooks/wecom", [], wc_text.replace("wang", "stranger")))
write("fuzz_wecom", "url-check", request("GET /hooks/wecom", [], "followupd echo"))
write("fuzz_wecom", "unsigned", request(
    "POST /hooks/wecom?msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1700000000&nonce=263014780", [],
    "<xml><ToUserName><![CDATA[ww1]]></ToUserName><Encrypt><![CDATA[" +
    base64.b64encode(b"\x01" * 64).decode() + "]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>", sign=False))
print("corpus written to", OUT)
