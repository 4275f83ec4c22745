// Plays the live stream from a ring of samples the page feeds. Keeps a small cushion: too little
// and it underruns (counted, silence played), too much and it drops the oldest (counted), so
// the delay never grows.
class ListenProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    this.channels = options.processorOptions.channels;
    this.capacity = options.processorOptions.capacity;
    this.target = options.processorOptions.target;
    this.ring = Array.from({ length: this.channels }, () => new Float32Array(this.capacity));
    this.read = 0;
    this.filled = 0;
    this.started = false;
    this.underruns = 0;
    this.dropped = 0;
    this.frames = 0;
    this.port.onmessage = event => this.push(event.data);
  }

  push(planes) {
    const n = planes[0].length;
    if (this.filled + n > this.capacity) {
      const excess = this.filled + n - this.capacity;
      this.read = (this.read + excess) % this.capacity;
      this.filled -= excess;
      this.dropped += excess;
    }
    let write = (this.read + this.filled) % this.capacity;
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < this.channels; c++) this.ring[c][write] = planes[c][i];
      write = (write + 1) % this.capacity;
    }
    this.filled += n;
    // more than twice the cushion waiting: skip ahead so the delay stays put
    if (this.filled > 2 * this.target) {
      const skip = this.filled - this.target;
      this.read = (this.read + skip) % this.capacity;
      this.filled -= skip;
      this.dropped += skip;
    }
  }

  process(inputs, outputs) {
    const out = outputs[0];
    const n = out[0].length;
    if (!this.started && this.filled >= this.target) this.started = true;
    if (!this.started || this.filled < n) {
      if (this.started) { this.underruns++; this.started = false; }
      for (const channel of out) channel.fill(0);
    } else {
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < out.length; c++) out[c][i] = this.ring[Math.min(c, this.channels - 1)][this.read];
        this.read = (this.read + 1) % this.capacity;
      }
      this.filled -= n;
      this.frames += n;
    }
    if (currentFrame % 4096 < n) {
      this.port.postMessage({ underruns: this.underruns, dropped: this.dropped, buffered: this.filled, played: this.frames });
    }
    return true;
  }
}
registerProcessor("earshot-listen", ListenProcessor);
