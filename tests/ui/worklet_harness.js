// Runs ui/static/pcm-worklet.js outside a browser: feeds 2 s of a sine at the given input rate and prints
// {"rms": ..., "samples": ...} of the 16 kHz output. Usage: node worklet_harness.js WORKLET RATE FREQ
const fs = require("fs");
const [worklet, rate, freq] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const blocks = [];
let Processor;
globalThis.sampleRate = rate;
globalThis.AudioWorkletProcessor = class { constructor() { this.port = { postMessage: (b) => blocks.push(new Int16Array(b)) }; } };
globalThis.registerProcessor = (_name, cls) => { Processor = cls; };
eval(fs.readFileSync(worklet, "utf8"));
const p = new Processor();
for (let t = 0; t < rate * 2; t += 128) {
  const ch = new Float32Array(128);
  for (let i = 0; i < 128; i++) ch[i] = 0.5 * Math.sin((2 * Math.PI * freq * (t + i)) / rate);
  p.process([[ch]]);
}
const settled = blocks.slice(2).flatMap((b) => Array.from(b));
const rms = Math.sqrt(settled.reduce((a, v) => a + (v / 32768) ** 2, 0) / settled.length);
console.log(JSON.stringify({ rms, samples: blocks.reduce((a, b) => a + b.length, 0) }));
