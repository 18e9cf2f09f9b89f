// The baseline: a minimal Fastify route that forwards to the upstream with undici, with no
// authentication and no accounting. The limit a Node gateway can reach on this machine.
import Fastify from 'fastify';
import { Pool } from 'undici';

const [upstreamUrl, port] = process.argv.slice(2);
const pool = new Pool(upstreamUrl, { connections: 256 });
const app = Fastify({ logger: false });

app.post('/v1/chat/completions', async (request, reply) => {
  const response = await pool.request({
    method: 'POST',
    path: '/v1/chat/completions',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request.body),
  });
  const answer = Buffer.from(await response.body.arrayBuffer());

  return reply.status(response.statusCode).header('content-type', 'application/json').send(answer);
});

await app.listen({ port: Number(port), host: '127.0.0.1' });
process.stdout.write(`${port}\n`);
