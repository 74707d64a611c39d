// The platforms' send APIs for followupd in bench/peers/run.sh: every call
// succeeds at once. Telegram's Bot API (POST /bot<token>/<method>) and Slack's
// Web API (conversations.open, chat.postMessage, chat.update).
//
//   node bench/peers/stand_in.mjs PORT_FILE
//
// GET /count  {"calls": N}. Binds 127.0.0.1 on a port the system picks and
// writes it to PORT_FILE.
import fs from 'node:fs';
import http from 'node:http';

const [portFile] = process.argv.slice(2);
if (!portFile) {
  console.error('usage: stand_in.mjs PORT_FILE');
  process.exit(2);
}

let calls = 0;
const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/count') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ calls }));
    return;
  }
  req.resume();
  req.on('end', () => {
    calls += 1;
    res.setHeader('content-type', 'application/json');
    if (req.url.startsWith('/bot')) {
      res.end(`{"ok":true,"result":{"message_id":${calls},"date":0,"chat":{"id":1,"type":"private"}}}`);
    } else if (req.url.includes('conversations.open')) {
      res.end('{"ok":true,"channel":{"id":"D1"}}');
    } else {
      res.end(`{"ok":true,"channel":"D1","ts":"1.${calls}"}`);
    }
  });
});
server.listen(0, '127.0.0.1', () => fs.writeFileSync(portFile, `${server.address().port}\n`));
const stop = () => { server.closeAllConnections?.(); server.close(() => process.exit(0)); };
process.on('SIGTERM', stop);
