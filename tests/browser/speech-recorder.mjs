// A stand-in for the browser's speechSynthesis (headless Chromium has no voices): records every
// utterance, keeps one speaking at a time, and lets a test end it (`speechSynthesis.finish()`),
// firing `boundary` then `end` as a voice would. `voices` picks what getVoices() returns.
export function recorderScript(voices = [{ name: 'Test 日本語', lang: 'ja-JP', localService: true, default: true }, { name: 'Test English', lang: 'en-US', localService: true }]) {
  return `(() => {
    const voices = ${JSON.stringify(voices)};
    window.__spoken = [];
    class FakeUtterance {
      constructor(text) { this.text = text; this.lang = ''; this.rate = 1; this.pitch = 1; this.voice = null; this.onend = null; this.onerror = null; this.onboundary = null; this.onstart = null; }
    }
    const synth = {
      speaking: false, paused: false, pending: false, queue: [], current: null,
      getVoices() { return voices; },
      speak(u) {
        window.__spoken.push({ text: u.text, lang: u.lang, rate: u.rate, voice: u.voice && u.voice.name });
        this.queue.push(u);
        if (!this.current) this.next();
      },
      next() { this.current = this.queue.shift() || null; this.speaking = !!this.current; if (this.current && this.current.onstart) this.current.onstart({}); },
      finish() {
        const u = this.current;
        if (!u || this.paused) return false;
        if (u.onboundary) u.onboundary({ name: 'word', charIndex: 0 });
        this.next();
        if (u.onend) u.onend({});
        return true;
      },
      pause() { this.paused = true; },
      resume() { this.paused = false; },
      cancel() {
        const all = [this.current, ...this.queue].filter(Boolean);
        this.queue = []; this.current = null; this.speaking = false; this.paused = false;
        all.forEach((u) => u.onerror && u.onerror({ error: 'interrupted' }));
      },
      addEventListener() {}, removeEventListener() {},
    };
    Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
    window.SpeechSynthesisUtterance = FakeUtterance;
  })();`;
}
