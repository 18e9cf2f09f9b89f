/**
 * Wraps `work` so that only its first call does anything: a budget reservation is settled
 * and a rate-limit slot given back exactly once, however many paths of a request (answer,
 * error, aborted stream) reach the end.
 */
export function once<A extends unknown[]>(work: (...args: A) => void): (...args: A) => void {
  let done = false;

  return (...args: A) => {
    if (done) {
      return;
    }

    done = true;
    work(...args);
  };
}
