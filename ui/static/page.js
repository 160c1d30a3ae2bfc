// Script for every signed-in page. Browser microphone: capture, downsample to 16 kHz in an AudioWorklet, and send the
// PCM over NiceGUI's own websocket (emitEvent). Nothing is stored: no recording, no storage APIs.
window.rtMic = (() => {
  let ctx = null;
  let stream = null;

  function toBase64(buffer) {
    const bytes = new Uint8Array(buffer);
    let s = "";
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(s);
  }

  async function start() {
    if (ctx) return;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false },
      });
      ctx = new AudioContext();
      await ctx.audioWorklet.addModule("/rt-static/pcm-worklet.js");
      const node = new AudioWorkletNode(ctx, "pcm16k", { numberOfInputs: 1, numberOfOutputs: 0, channelCount: 1 });
      node.port.onmessage = (e) => emitEvent("rt_audio", toBase64(e.data));
      ctx.createMediaStreamSource(stream).connect(node);
    } catch (err) {
      stop();
      emitEvent("rt_mic_error", (err && err.name) || "error");
    }
  }

  function stop() {
    if (stream) stream.getTracks().forEach((t) => t.stop());
    if (ctx) ctx.close();
    stream = null;
    ctx = null;
  }

  // Pointer and key use keep the login unlocked; the server throttles these further.
  let last = 0;
  const active = () => {
    const now = Date.now();
    if (now - last > 5000 && typeof emitEvent === "function") {
      last = now;
      emitEvent("rt_activity");
    }
  };
  ["pointerdown", "keydown", "wheel"].forEach((t) => document.addEventListener(t, active, { passive: true }));
  window.addEventListener("pagehide", stop);
  return { start, stop };
})();
