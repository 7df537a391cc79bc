// A circuit breaker for a provider: after `threshold` failures in a row it opens, and the provider is skipped
// until `coolDownMs` has passed; then one attempt decides whether it closes again or opens for another cool-down.
export class CircuitBreaker {
  readonly #threshold: number;
  readonly #coolDownMs: number;
  readonly #now: () => number;
  #failures = 0;
  #openUntil: number | undefined;

  constructor(threshold: number, coolDownMs: number, now: () => number = Date.now) {
    this.#threshold = threshold;
    this.#coolDownMs = coolDownMs;
    this.#now = now;
  }

  /** May the provider be asked now? */
  allows(): boolean {
    return this.#openUntil === undefined || this.#now() >= this.#openUntil;
  }

  get open(): boolean {
    return !this.allows();
  }

  success(): void {
    this.#failures = 0;
    this.#openUntil = undefined;
  }

  failure(): void {
    this.#failures++;
    // Half-open: one failure after a cool-down opens it again at once.
    if (this.#failures >= this.#threshold || this.#openUntil !== undefined) {
      this.#openUntil = this.#now() + this.#coolDownMs;
    }
  }
}
