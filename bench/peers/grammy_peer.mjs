// grammY peer for bench/peers/run.sh: a Node http server whose only route for
// Telegram is grammY's own webhook handler.
//
//   node bench/peers/grammy_peer.mjs PORT_FILE SECRET_TOKEN
//
// POST /hooks/telegram  webhookCallback(bot, 'http', { secretToken }): a wrong or
//                       missing X-Telegram-Bot-Api-Secret-Token gets 401; the update
//                       goes through grammY's middleware, and the text-message
//                       handler records it in memory.
// GET  /count           {"updates": N}: how many text messages the handler saw.
//
// The bot's identity is given (botInfo), so grammY never calls Telegram. Binds
// 127.0.0.1 on a port the system picks and writes that port to PORT_FILE.
import fs from 'node:fs';
import http from 'node:http';
import { Bot, webhookCallback } from 'grammy';

const [portFile, secretToken] = process.argv.slice(2);
if (!portFile || !secretToken) {
  console.error('usage: grammy_peer.mjs PORT_FILE SECRET_TOKEN');
  process.exit(2);
}

const bot = new Bot('123456:bench-peer-token', {
  botInfo: {
    id: 123456, is_bot: true, first_name: 'Bench', username: 'bench_peer_bot',
    can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false,
    can_connect_to_business: false, has_main_web_app: false,
  },
});
let count = 0;
const seen = [];  // every update seen, kept for the whole run
bot.on('message:text', (ctx) => {
  seen.push({ update_id: ctx.update.update_id, from: ctx.from.id, text: ctx.message.text });
  count += 1;
});

const hook = webhookCallback(bot, 'http', { secretToken });
const server = http.createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/hooks/telegram') {
    hook(req, res).catch((e) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(e));
    });
    return;
  }
  if (req.method === 'GET' && req.url === '/count') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ updates: count }));
    return;
  }
  res.writeHead(404);
  res.end();
});
server.keepAliveTimeout = 65000;
server.listen(0, '127.0.0.1', () => fs.writeFileSync(portFile, `${server.address().port}\n`));
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
