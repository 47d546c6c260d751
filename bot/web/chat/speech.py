"""Read a text aloud in Norwegian (or English) with espeak-ng: WAV bytes, a small in-memory cache, no shell."""

from __future__ import annotations

import asyncio
import shutil
import struct
import subprocess
import threading
from collections import OrderedDict

MAX_CHARS = 600
VOICE = "nb"
ENGLISH_VOICE = "en"  # espeak-ng's English voice, for English text (issue 19)
WORDS_PER_MINUTE = 150  # a little slower than espeak-ng's 175, for listeners who read poorly
TIMEOUT_SECONDS = 15.0
CACHE_SIZE = 16
PARALLEL = 2


class SpeechUnavailable(RuntimeError):
    """espeak-ng is missing or could not read the text."""


def fix_wav_sizes(wav: bytes) -> bytes:
    """espeak-ng writing to a pipe cannot seek back, so it leaves the RIFF and data sizes unknown; fill them in."""
    if len(wav) < 12 or wav[:4] != b"RIFF" or wav[8:12] != b"WAVE":
        raise SpeechUnavailable("espeak-ng did not produce a WAV file")
    data = bytearray(wav)
    struct.pack_into("<I", data, 4, len(data) - 8)
    offset = 12
    while offset + 8 <= len(data):
        chunk_id = bytes(data[offset : offset + 4])
        if chunk_id == b"data":
            struct.pack_into("<I", data, offset + 4, len(data) - offset - 8)
            break
        (size,) = struct.unpack_from("<I", data, offset + 4)
        offset += 8 + size + (size & 1)
    return bytes(data)


class Speaker:
    """Turns short texts into WAV audio, remembering the last few."""

    def __init__(
        self,
        executable: str | None = None,
        voice: str = VOICE,
        max_chars: int = MAX_CHARS,
        timeout: float = TIMEOUT_SECONDS,
        cache_size: int = CACHE_SIZE,
    ) -> None:
        self.executable = executable if executable is not None else shutil.which("espeak-ng")
        self.voice = voice
        self.max_chars = max_chars
        self.timeout = timeout
        self._cache: OrderedDict[str, bytes] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(PARALLEL)

    @property
    def available(self) -> bool:
        """True when espeak-ng was found."""
        return bool(self.executable)

    def speak(self, text: str) -> bytes:
        """WAV bytes of `text` read aloud; ValueError when the text is empty or too long."""
        text = " ".join(text.split())
        if not text:
            raise ValueError("nothing to read")
        if len(text) > self.max_chars:
            raise ValueError(f"longer than {self.max_chars} characters")
        with self._lock:
            if text in self._cache:
                self._cache.move_to_end(text)
                return self._cache[text]
        wav = self._synthesise(text)
        with self._lock:
            self._cache[text] = wav
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return wav

    def voice_for(self, text: str) -> str:
        """English text in the English voice; everything else in the configured (Norwegian) voice."""
        from bot.languages.detection import ENGLISH, language_of_reply

        return ENGLISH_VOICE if language_of_reply(text) == ENGLISH else self.voice

    async def speak_async(self, text: str) -> bytes:
        """`speak` in a worker thread, so the event loop keeps serving other users."""
        return await asyncio.to_thread(self.speak, text)

    def _synthesise(self, text: str) -> bytes:
        if not self.executable:
            raise SpeechUnavailable("espeak-ng is not installed")
        command = [self.executable, "-v", self.voice_for(text), "-s", str(WORDS_PER_MINUTE), "--stdout", "--stdin"]
        with self._slots:
            try:
                done = subprocess.run(command, input=text.encode("utf-8"), capture_output=True, timeout=self.timeout)
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise SpeechUnavailable(f"espeak-ng failed: {exc}") from exc
        if done.returncode != 0:
            raise SpeechUnavailable(f"espeak-ng exited with {done.returncode}: {done.stderr[:200]!r}")
        return fix_wav_sizes(done.stdout)
