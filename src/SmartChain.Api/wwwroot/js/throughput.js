// Live throughput from the stream of certified blocks: transactions and blocks per second over the last 10 s, and a
// sparkline of the last 60 s in one-second buckets.

export class Throughput {
  constructor(canvas) {
    this.canvas = canvas;
    this.events = [];
    this.buckets = new Array(60).fill(0);
    this.bucketSecond = Math.floor(Date.now() / 1000);
  }

  /** Counts one certified block (a block summary from the stream). */
  add(block) {
    const now = Date.now();
    this.events.push({ at: now, tx: block.transactionCount ?? 0 });
    this.roll(now);
    this.buckets[this.buckets.length - 1] += block.transactionCount ?? 0;
    while (this.events.length > 0 && this.events[0].at < now - 60000) this.events.shift();
  }

  roll(now) {
    const second = Math.floor(now / 1000);
    const shift = Math.min(60, second - this.bucketSecond);
    for (let i = 0; i < shift; i++) { this.buckets.shift(); this.buckets.push(0); }
    this.bucketSecond = second;
  }

  window(now) {
    const since = now - 10000;
    const recent = this.events.filter((e) => e.at >= since);
    const seconds = Math.max(1, Math.min(10, (now - (this.events[0]?.at ?? now)) / 1000));
    return { recent, seconds };
  }

  txPerSecond() {
    const { recent, seconds } = this.window(Date.now());
    return recent.reduce((sum, e) => sum + e.tx, 0) / seconds;
  }

  blocksPerSecond() {
    const { recent, seconds } = this.window(Date.now());
    return recent.length / seconds;
  }

  render() {
    this.roll(Date.now());
    const c = this.canvas?.getContext('2d');
    if (!c) return;
    const { width, height } = this.canvas;
    c.clearRect(0, 0, width, height);
    const max = Math.max(1, ...this.buckets);
    const step = width / this.buckets.length;
    c.fillStyle = '#2455c3';
    this.buckets.forEach((v, i) => {
      const bar = (v / max) * (height - 2);
      c.fillRect(i * step, height - bar, Math.max(1, step - 1), bar);
    });
  }
}
