// Slack Bolt peer for bench/peers/run.sh: an App with Bolt's HTTP receiver.
//
//   node bench/peers/bolt_peer.mjs PORT_FILE SIGNING_SECRET
//
// POST /hooks/slack/events  Bolt's receiver: the v0 signature and the timestamp
//                           are verified (else 401), the event is acknowledged,
//                           and the `message` listener records it in memory.
// GET  /count               {"events": N}: how many message events the listener saw.
//
// The bot token, bot id and bot user id are given and token verification is off,
// so Bolt never calls Slack (its Web API client points at a closed local port all
// the same). Binds 127.0.0.1 on a port the system picks and writes it to PORT_FILE.
import fs from 'node:fs';
import bolt from '@slack/bolt';

const { App, LogLevel } = bolt;
const [portFile, signingSecret] = process.argv.slice(2);
if (!portFile || !signingSecret) {
  console.error('usage: bolt_peer.mjs PORT_FILE SIGNING_SECRET');
  process.exit(2);
}

let count = 0;
const seen = [];  // every event seen, kept for the whole run
const app = new App({
  signingSecret,
  token: 'xoxb-bench-peer',
  botId: 'BBENCH',
  botUserId: 'UBENCHBOT',
  tokenVerificationEnabled: false,
  logLevel: LogLevel.ERROR,
  clientOptions: { slackApiUrl: 'http://127.0.0.1:9/api/' },
  endpoints: '/hooks/slack/events',
  customRoutes: [{
    path: '/count',
    method: ['GET'],
    handler: (req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ events: count }));
    },
  }],
});
app.message(async ({ message }) => {
  seen.push({ ts: message.ts, user: message.user, channel: message.channel, text: message.text });
  count += 1;
});
app.error(async (e) => { console.error('bolt_peer:', e?.message ?? e); });

const server = await app.start({ port: 0, host: '127.0.0.1' });
server.keepAliveTimeout = 65000;
fs.writeFileSync(portFile, `${server.address().port}\n`);
const stop = () => { app.stop().finally(() => process.exit(0)); };
process.on('SIGTERM', stop);
