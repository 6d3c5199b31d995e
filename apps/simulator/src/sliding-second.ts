/**
 * Meta's throughput check: at most `limit` accepted messages per number in any sliding second, counted by arrival.
 * Arrival times are kept sorted; entries before `start` have left the window.
 */
export class SlidingSecond {
  private times: number[] = [];
  private start = 0;
  /** Arrivals refused since the last clear (what Meta answers with 130429). */
  refused = 0;

  /** Records an arrival and answers true, or answers false when the second already holds `limit` arrivals. */
  admit(arrivedAt: number, limit: number): boolean {
    while (this.start < this.times.length && arrivedAt - this.times[this.start]! >= 1000) this.start++;
    if (this.start > 4096) {
      this.times = this.times.slice(this.start);
      this.start = 0;
    }
    if (this.times.length - this.start >= limit) {
      this.refused++;
      return false;
    }
    // Requests handled out of arrival order keep the window sorted.
    let at = this.times.length;
    while (at > this.start && this.times[at - 1]! > arrivedAt) at--;
    this.times.splice(at, 0, arrivedAt);
    return true;
  }

  clear(): void {
    this.times = [];
    this.start = 0;
    this.refused = 0;
  }
}
