export declare class ThrottleGate {
    private readonly maxConcurrency;
    private readonly sleep;
    private readonly now;
    private cap;
    private successes;
    private inFlight;
    private readonly queue;
    private pause;
    private pauseUntil;
    constructor(maxConcurrency: number, sleep: (ms: number) => Promise<void>, now: () => number);
    /** Runs fn once the gate is open and a concurrency slot is free. */
    run<T>(fn: () => Promise<T>): Promise<T>;
    /** Closes the gate for everyone for ms (a later, longer Retry-After extends it; a shorter one does not shorten it). */
    close(ms: number): void;
    /** Lowers the concurrency cap (at least 1) after the server refused a request for concurrency. */
    limitTo(n: number): void;
    get concurrency(): number;
    get closed(): boolean;
    get active(): number;
    private waitOpen;
    private onSuccess;
    private acquire;
    private release;
    private pump;
}
