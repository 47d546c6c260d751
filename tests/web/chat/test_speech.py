from __future__ import annotations

import shutil
import struct

import pytest

from bot.web.chat.speech import Speaker, SpeechUnavailable, fix_wav_sizes


def test_real_espeak_ng_reads_norwegian_into_a_wav_with_correct_sizes():
    assert shutil.which("espeak-ng"), "espeak-ng (Debian package espeak-ng) must be installed"
    wav = Speaker().speak("Hei! Jeg er Veivalg, en chatbot. Hva vil du snakke om?")

    assert wav[:4] == b"RIFF" and wav[8:12] == b"WAVE"
    assert struct.unpack_from("<I", wav, 4)[0] == len(wav) - 8
    data = wav.index(b"data")
    assert struct.unpack_from("<I", wav, data + 4)[0] == len(wav) - data - 8
    assert len(wav) > 10_000  # a few seconds of speech


def test_recent_texts_come_from_the_cache():
    speaker = Speaker()
    first = speaker.speak("Skriv hei for å begynne.")
    speaker.executable = "/nonexistent/espeak-ng"

    assert speaker.speak("Skriv  hei for å begynne. ") == first
    with pytest.raises(SpeechUnavailable):
        speaker.speak("En annen tekst.")


def test_a_text_that_starts_like_an_option_is_read_as_text(tmp_path):
    fake = tmp_path / "echo-args"
    fake.write_text('#!/bin/sh\nfor arg in "$@"; do [ "$arg" = "-w" ] && exit 3; done\nprintf RIFF0000WAVE\n')
    fake.chmod(0o755)

    wav = Speaker(executable=str(fake)).speak("-w /tmp/x.wav")

    assert wav[:4] == b"RIFF"  # the text went to stdin, never onto the command line


def test_too_long_or_empty_texts_are_refused():
    speaker = Speaker(executable="/nonexistent/espeak-ng", max_chars=10)

    with pytest.raises(ValueError):
        speaker.speak("x" * 11)
    with pytest.raises(ValueError):
        speaker.speak("   ")


def test_missing_espeak_ng_raises_speech_unavailable():
    speaker = Speaker(executable="")

    assert not speaker.available
    with pytest.raises(SpeechUnavailable):
        speaker.speak("hei")


def test_fix_wav_sizes_fills_in_unknown_sizes():
    header = b"RIFF" + b"\xff\xff\xff\x7f" + b"WAVE" + b"fmt " + struct.pack("<I", 16) + bytes(16)
    wav = header + b"data" + b"\xff\xff\xff\x7f" + bytes(100)

    fixed = fix_wav_sizes(wav)

    assert struct.unpack_from("<I", fixed, 4)[0] == len(wav) - 8
    assert struct.unpack_from("<I", fixed, len(header) + 4)[0] == 100
    with pytest.raises(SpeechUnavailable):
        fix_wav_sizes(b"not a wav")


def test_english_text_is_read_with_the_english_voice():
    from bot.web.chat.speech import ENGLISH_VOICE, VOICE, Speaker

    speaker = Speaker(executable="/bin/false")
    assert speaker.voice_for("You can take the trade exam as an adult. Do you want to know how?") == ENGLISH_VOICE
    assert speaker.voice_for("Du kan ta fagbrev som voksen. Vil du vite hvordan?") == VOICE
    assert speaker.voice_for("OK") == VOICE
