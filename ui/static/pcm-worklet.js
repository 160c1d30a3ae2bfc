// AudioWorklet: mono float audio at the context's rate -> 16 kHz little-endian int16 PCM blocks of 100 ms.
// Downsampling averages each output sample's span of input (a box low-pass) so speech bands stay clean.
class Pcm16kProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.step = sampleRate / 16000; // input samples per output sample (3 at 48 kHz)
    this.pos = 0; // fractional input position of the next output sample's end
    this.acc = 0;
    this.n = 0;
    this.block = new Int16Array(1600);
    this.fill = 0;
    this.port.onmessage = (e) => { if (e.data === "flush") this.flush(); };
  }

  flush() {
    if (this.fill > 0) {
      const out = this.block.slice(0, this.fill);
      this.port.postMessage(out.buffer, [out.buffer]);
      this.fill = 0;
    }
  }

  process(inputs) {
    const input = inputs[0];
    if (!input || input.length === 0) return true;
    const ch = input[0];
    for (let i = 0; i < ch.length; i++) {
      this.acc += ch[i];
      this.n += 1;
      this.pos += 1;
      if (this.pos >= this.step) {
        this.pos -= this.step;
        const v = Math.max(-1, Math.min(1, this.acc / this.n));
        this.block[this.fill++] = v < 0 ? v * 32768 : v * 32767;
        this.acc = 0;
        this.n = 0;
        if (this.fill === this.block.length) this.flush();
      }
    }
    return true;
  }
}
registerProcessor("pcm16k", Pcm16kProcessor);
