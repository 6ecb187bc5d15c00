/**
 * A small Server-Sent Events reader for tests: fetch, split the stream into
 * events and comment lines as a browser's EventSource would, and wait for
 * the next event that passes a test.
 */
export interface SseEvent {
  event: string;
  data: string;
}

export interface SseStream {
  status: number;
  headers: Headers;
  /** The response body when it is not a stream (a refusal's JSON). */
  body: unknown;
  events: SseEvent[];
  comments: string[];
  retry: number | undefined;
  /** Resolves with the first event (already received or to come) that passes `test`. */
  next(test: (e: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  /** Resolves when the server ended the stream. */
  ended: Promise<void>;
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { accept: "text/event-stream", ...headers }, signal: abort.signal });
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const waiters = new Set<() => void>();
  let retry: number | undefined;
  let endedResolve!: () => void;
  const ended = new Promise<void>((resolve) => (endedResolve = resolve));
  let isEnded = false;
  const finish = () => {
    isEnded = true;
    endedResolve();
    for (const w of waiters) w();
  };
  let body: unknown;
  if (!(res.headers.get("content-type") ?? "").startsWith("text/event-stream")) {
    const text = await res.text();
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    finish();
  } else {
    void (async () => {
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let cut: number;
          while ((cut = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            let event = "message";
            const data: string[] = [];
            for (const line of block.split("\n")) {
              if (line.startsWith(":")) comments.push(line.slice(1).trim());
              else if (line.startsWith("event:")) event = line.slice(6).trim();
              else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
              else if (line.startsWith("retry:")) retry = Number(line.slice(6));
            }
            if (data.length > 0) events.push({ event, data: data.join("\n") });
            for (const w of waiters) w();
          }
        }
      } catch {
        // aborted
      }
      finish();
    })();
  }
  return {
    status: res.status,
    headers: res.headers,
    body,
    events,
    comments,
    get retry() {
      return retry;
    },
    ended,
    next(test, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(test);
          if (found) {
            done();
            resolve(found);
          } else if (isEnded) {
            done();
            reject(new Error("the stream ended without such an event"));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no such event within ${timeoutMs} ms (got ${events.length}: ${events.map((e) => e.data).join(" | ")})`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close() {
      abort.abort();
    },
  };
}

/** The JSON of an event's data. */
export function dataOf<T>(e: SseEvent): T {
  return JSON.parse(e.data) as T;
}
