// The scripted model server speaks the Messages API shapes the CLI relies on,
// checked here with plain HTTP so a fixture bug shows up as a fixture failure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModelServer, type ModelServer } from '../fixtures/model-server.ts';
import { failForever, happy } from '../fixtures/scenarios/index.ts';

let server: ModelServer;
beforeAll(async () => {
  server = await startModelServer({ scenario: happy });
});
afterAll(() => server.close());

const body = (stream: boolean) => ({
  model: 'm',
  stream,
  tools: [{ name: 'Write' }, { name: 'Read' }],
  messages: [
    {
      role: 'user',
      content: [
        {
          type: 'text',
          text: '# GamePocGen phase 1 of 5: idea\n\n- Workspace directory: `/ws/job` (your current directory).',
        },
      ],
    },
  ],
});
const post = (path: string, payload: unknown, headers: Record<string, string> = {}) =>
  fetch(server.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(payload),
  });

describe('scripted model server', () => {
  it('streams SSE: message_start, tool_use blocks with input_json_delta, message_delta with tool_use, message_stop', async () => {
    const res = await post('/v1/messages?beta=true', body(true), { authorization: 'Bearer k' });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const events = (await res.text())
      .trim()
      .split('\n\n')
      .map((chunk) => {
        const [ev, data] = chunk.split('\n');
        return { event: ev!.replace('event: ', ''), data: JSON.parse(data!.replace('data: ', '')) };
      });
    expect(events.map((e) => e.event)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    for (const e of events) expect(e.data.type).toBe(e.event);
    const start = events[1]!.data.content_block;
    expect(start).toMatchObject({ type: 'tool_use', name: 'Write', input: {} });
    expect(start.id).toMatch(/^toolu_/);
    const input = JSON.parse(events[2]!.data.delta.partial_json + events[3]!.data.delta.partial_json);
    expect(input.file_path).toBe('/ws/job/idea.json');
    expect(events[9]!.data).toMatchObject({ delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 100 } });
    const rec = server.requests.at(-1)!;
    expect(rec.headers.authorization).toBe('Bearer k');
    expect(rec.turn).toMatchObject({ phase: 1, workspace: '/ws/job', step: 0, attempt: 0 });
  });

  it('answers stream:false with one JSON message, and the tool_result turn with end_turn', async () => {
    const first = (await (await post('/v1/messages', body(false))).json()) as {
      content: { type: string; id: string }[];
      stop_reason: string;
    };
    expect(first.stop_reason).toBe('tool_use');
    const next = body(false);
    next.messages.push(
      { role: 'assistant', content: first.content as never },
      {
        role: 'user',
        content: first.content.map((b) => ({ type: 'tool_result', tool_use_id: b.id, content: 'ok' })) as never,
      },
    );
    const second = (await (await post('/v1/messages', next)).json()) as {
      content: { type: string }[];
      stop_reason: string;
    };
    expect(second).toMatchObject({ stop_reason: 'end_turn', content: [{ type: 'text' }] });
  });

  it('counts tokens, answers side requests and scripted errors, and 404s unknown paths in API error form', async () => {
    expect(await (await post('/v1/messages/count_tokens', body(false))).json()).toEqual({
      input_tokens: expect.any(Number),
    });
    const side = (await (
      await post('/v1/messages', { model: 'm', messages: [{ role: 'user', content: 'title?' }] })
    ).json()) as { content: { text: string }[] };
    expect(side.content[0]!.text).toBe('ok');
    server.setScenario(failForever(503));
    const failed = await post('/v1/messages', body(true));
    expect(failed.status).toBe(503);
    expect(await failed.json()).toEqual({
      type: 'error',
      error: { type: 'api_error', message: 'scripted 503 forever' },
    });
    server.setScenario(happy);
    const unknown = await fetch(server.url + '/v1/models');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { type: string }).type).toBe('error');
  });
});
