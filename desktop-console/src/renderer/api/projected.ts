/** Pauses between reads while a projection catches up with a write (it follows the log within milliseconds). */
const pauseMs = 150;
const attempts = 20;

/**
 * Reads a resource until its read model shows at least `revision` (what a write just made, or what a
 * 412 said it is at), or gives up after about three seconds and returns the last read: the caller
 * shows what there is, and a live push brings the rest.
 */
export async function readAtLeast<T>(read: () => Promise<T>, revisionOf: (value: T) => number, revision: number): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const value = await read();
    if (revisionOf(value) >= revision || attempt >= attempts) return value;
    await new Promise((r) => setTimeout(r, pauseMs));
  }
}
