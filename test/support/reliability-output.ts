/**
 * Everything written to stdout and stderr while capturing (the Powertools logger writes JSON lines
 * to both through its own `Console`). Writes still reach the terminal only when `echo` is set.
 */
export interface CapturedOutput {
  /** All text written so far. */
  text(): string;
  /** The JSON lines written so far, parsed; other lines are skipped. */
  jsonLines(): Record<string, unknown>[];
  stop(): void;
}

export const captureOutput = (options: { echo?: boolean } = {}): CapturedOutput => {
  const chunks: string[] = [];
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((stream) => stream.write.bind(stream));
  streams.forEach((stream, i) => {
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"));
      if (options.echo) return (originals[i] as (...args: unknown[]) => boolean)(chunk, ...rest);
      const callback = rest.find((arg) => typeof arg === "function") as (() => void) | undefined;
      callback?.();
      return true;
    }) as typeof stream.write;
  });
  return {
    text: () => chunks.join(""),
    jsonLines: () =>
      chunks
        .join("")
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as Record<string, unknown>];
          } catch {
            return [];
          }
        }),
    stop: () => {
      streams.forEach((stream, i) => {
        stream.write = originals[i] as typeof stream.write;
      });
    },
  };
};
