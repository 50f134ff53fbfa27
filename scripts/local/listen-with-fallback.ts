/** What listening gave, and the port that was busy when a free one had to be taken instead. */
export interface Listening<T> {
  readonly value: T;
  readonly busyPort?: number;
}

const isAddressInUse = (error: unknown): boolean => (error as NodeJS.ErrnoException | null)?.code === "EADDRINUSE";

/**
 * Listen on `port`; when it is busy (another simulator, another `npm start`), on any free port
 * instead, and say which port was busy so the caller can tell the operator. Port 0 always takes a
 * free one. Any other error is thrown.
 */
export const listenWithFallback = async <T>(
  listen: (port: number) => Promise<T>,
  port: number,
): Promise<Listening<T>> => {
  try {
    return { value: await listen(port) };
  } catch (error) {
    if (port === 0 || !isAddressInUse(error)) throw error;
    return { value: await listen(0), busyPort: port };
  }
};
