// Talk: the microphone's samples as 16-bit PCM, in chunks of 40 ms, posted to the page while it
// says "talking". The context runs at the rate the talker picked, so no resampling here.
class TalkProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.talking = false;
    this.chunk = new Int16Array(Math.round(sampleRate / 25)); // 40 ms: fewer messages cost the runtime less (benchmarks/README.md)
    this.filled = 0;
    this.sum = 0;
    this.peak = 0;
    this.port.onmessage = event => {
      if (event.data.talking) { this.talking = true; this.filled = 0; this.sum = 0; this.peak = 0; return; }
      if (this.talking) { this.post(); this.port.postMessage({ end: true }); }
      this.talking = false;
    };
  }

  post() {
    if (this.filled === 0) return;
    const samples = this.chunk.slice(0, this.filled);
    this.port.postMessage({ samples, rms: Math.sqrt(this.sum / this.filled), peak: this.peak }, [samples.buffer]);
    this.filled = 0; this.sum = 0; this.peak = 0;
  }

  process(inputs) {
    const input = inputs[0]?.[0];
    if (this.talking && input) {
      for (let i = 0; i < input.length; i++) {
        const v = Math.max(-1, Math.min(1, input[i]));
        this.chunk[this.filled++] = Math.round(v * 32767);
        this.sum += v * v;
        if (Math.abs(v) > this.peak) this.peak = Math.abs(v);
        if (this.filled === this.chunk.length) this.post();
      }
    }
    return true;
  }
}

registerProcessor("earshot-talk", TalkProcessor);
