// AudioWorklet: mono float audio at the context's rate -> 16 kHz little-endian int16 PCM, 100 ms per message.
// Resampling: a 63-tap windowed-sinc low-pass (cut-off 7.6 kHz, below the 8 kHz Nyquist of the output) read
// at each output instant, linearly interpolated between input samples, so 44.1 and 48 kHz both work.
const OUT_RATE = 16000;
const TAPS = 63;
const HALF = (TAPS - 1) / 2;
const RING = 256; // power of two, > TAPS

function lowPass(inRate) {
  const fc = Math.min(7600, inRate * 0.45) / inRate;
  const h = new Float32Array(TAPS);
  let sum = 0;
  for (let i = 0; i < TAPS; i++) {
    const m = i - HALF;
    const sinc = m === 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * m) / (Math.PI * m);
    const blackman = 0.42 - 0.5 * Math.cos((2 * Math.PI * i) / (TAPS - 1)) + 0.08 * Math.cos((4 * Math.PI * i) / (TAPS - 1));
    h[i] = sinc * blackman;
    sum += h[i];
  }
  for (let i = 0; i < TAPS; i++) h[i] /= sum; // unity gain at DC
  return h;
}

class Pcm16kProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.step = sampleRate / OUT_RATE; // input samples per output sample
    this.h = lowPass(sampleRate);
    this.ring = new Float32Array(RING);
    this.written = 0; // input samples seen so far
    this.next = HALF; // input position (fractional) of the next output sample
    this.block = new Int16Array(OUT_RATE / 10);
    this.fill = 0;
  }

  filtered(center) {
    let acc = 0;
    for (let t = 0; t < TAPS; t++) acc += this.h[t] * this.ring[(center - HALF + t) & (RING - 1)];
    return acc;
  }

  process(inputs) {
    const ch = inputs[0] && inputs[0][0];
    if (!ch) return true;
    for (let i = 0; i < ch.length; i++) {
      this.ring[this.written & (RING - 1)] = ch[i];
      this.written++;
      // An output needs the input up to HALF samples past the later of its two neighbours.
      while (Math.floor(this.next) + 1 + HALF < this.written) {
        const j = Math.floor(this.next);
        const frac = this.next - j;
        const v = Math.max(-1, Math.min(1, (1 - frac) * this.filtered(j) + frac * this.filtered(j + 1)));
        this.block[this.fill++] = v < 0 ? v * 32768 : v * 32767;
        this.next += this.step;
        if (this.fill === this.block.length) {
          const out = this.block;
          this.port.postMessage(out.buffer, [out.buffer]);
          this.block = new Int16Array(OUT_RATE / 10);
          this.fill = 0;
        }
      }
    }
    return true;
  }
}
registerProcessor("pcm16k", Pcm16kProcessor);
