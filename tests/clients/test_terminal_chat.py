"""The kiosk terminal client: rendering, and the real `veivalg chat` in a pseudo-terminal against the gateway."""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pexpect
import pytest

from bot.clients.terminal.texts import HELP, WELCOME, WIPED
from bot.clients.terminal.transcript import Transcript, plain_text, render
from bot.paths import PROJECT_ROOT
from bot.web.chat.hub import Hub
from tests.web.chat.test_gateway import FakeRasa, free_port, serve
from tests.web.chat.test_routes import SECRET, widget_app, widget_settings

SCREENSHOTS = PROJECT_ROOT / "docs" / "screenshots"


# --- rendering ---------------------------------------------------------------------------------------------------


def test_render_wraps_text_labels_authors_and_numbers_buttons():
    lines = plain_text(
        render(
            [
                {"seq": 1, "author": "user", "author_label": "Du", "text": "hei"},
                {"seq": 2, "author": "bot", "text": "Hei! " + "Dette er en lang setning. " * 5},
                {"seq": 3, "author": "bot", "text": "Vil du snakke om noe mer?", "buttons": [
                    {"title": "Ja, vis valgene", "payload": "/ask_help"},
                    {"title": "Nei, ha det", "payload": "/goodbye"},
                ]},
                {"seq": 4, "author": "counsellor", "author_label": "Karriereveileder", "text": "Hei, jeg er Kari."},
            ],
            width=40,
        )
    )

    assert all(len(line) <= 40 for line in lines)
    assert lines[0] == "Du: hei"
    assert lines[1] == ""  # a blank line between messages
    assert lines[2].startswith("Veivalg: Hei!")
    assert lines[3].startswith("  ")
    assert lines[-4:-2] == ["   1) Ja, vis valgene", "   2) Nei, ha det"]
    assert lines[-1] == "Karriereveileder: Hei, jeg er Kari."


def test_line_breaks_in_a_message_are_kept():
    lines = plain_text(
        render([{"author": "bot", "text": "Veien til kokk:\n1. Vg1 Restaurant- og matfag.\n2. Vg2 Kokk."}], width=60)
    )

    assert lines == ["Veivalg: Veien til kokk:", "  1. Vg1 Restaurant- og matfag.", "  2. Vg2 Kokk."]


def test_the_transcript_keeps_order_and_knows_what_is_complete():
    transcript = Transcript()

    assert transcript.add([{"seq": 1, "author": "user", "text": "hei"}, {"seq": 3, "author": "bot", "text": "c"}])
    assert transcript.complete_until() == 1
    assert not transcript.add([{"seq": 1, "author": "user", "text": "hei"}])
    transcript.add([{"seq": 2, "author": "bot", "text": "b", "buttons": [{"title": "Ja", "payload": "/affirm"}]}])

    assert [m["seq"] for m in transcript.ordered()] == [1, 2, 3]
    assert transcript.complete_until() == 3
    assert transcript.buttons() == []  # the latest bot message (3) has none
    transcript.clear()
    assert transcript.ordered() == []


# --- a small terminal emulator, to read back what the full-screen client shows ------------------------------------

_TOKEN = re.compile(
    r"\x1b\[(?P<private>[?>=]?)(?P<params>[0-9;:]*)[ -/]*(?P<final>[@-~])"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
    r"|\x1b[()][0-9A-Za-z]"
    r"|\x1b[78=>cDEMH]"
    r"|[\r\n\b\t\x07]"
    r"|[^\x1b\r\n\b\t\x07]+"
)


@dataclass
class Cell:
    char: str = " "
    fg: int | None = None
    bg: int | None = None
    bold: bool = False
    reverse: bool = False
    italic: bool = False


@dataclass
class Screen:
    """Enough of a VT100/xterm screen for what prompt_toolkit writes: cursor moves, erases, SGR, alt screen."""

    rows: int = 24
    cols: int = 80
    row: int = 0
    col: int = 0
    pen: Cell = field(default_factory=Cell)
    autowrap: bool = True
    pending: str = ""
    replies: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.cells = self._blank()
        self.saved: list[list[Cell]] | None = None

    def _blank(self) -> list[list[Cell]]:
        return [[Cell() for _ in range(self.cols)] for _ in range(self.rows)]

    def text(self) -> str:
        return "\n".join("".join(cell.char for cell in line).rstrip() for line in self.cells)

    def feed(self, data: str) -> None:
        data = self.pending + data
        self.pending = ""
        position = 0
        while position < len(data):
            match = _TOKEN.match(data, position)
            if match is None:  # an escape sequence cut in two by the read, or one we do not know
                if len(data) - position < 32:
                    self.pending = data[position:]
                    return
                position += 1
                continue
            token = match.group(0)
            position = match.end()
            if token.startswith("\x1b["):
                self._csi(match.group("private"), match.group("params"), match.group("final"))
            elif token.startswith("\x1b"):
                continue
            elif token == "\r":
                self.col = 0
            elif token == "\n":
                self._line_feed()
            elif token == "\b":
                self.col = max(0, self.col - 1)
            elif token in "\t\x07":
                continue
            else:
                for char in token:
                    self._put(char)

    def _line_feed(self) -> None:
        if self.row == self.rows - 1:
            self.cells = [*self.cells[1:], [Cell() for _ in range(self.cols)]]
        else:
            self.row += 1

    def _put(self, char: str) -> None:
        if self.col >= self.cols:
            if not self.autowrap:
                self.col = self.cols - 1
            else:
                self.col = 0
                self._line_feed()
        pen = self.pen
        self.cells[self.row][self.col] = Cell(char, pen.fg, pen.bg, pen.bold, pen.reverse, pen.italic)
        self.col += 1

    def _csi(self, private: str, params: str, final: str) -> None:
        numbers = [int(p) if p.isdigit() else 0 for p in params.replace(":", ";").split(";")] if params else []

        def arg(index: int, default: int) -> int:
            return numbers[index] if len(numbers) > index and numbers[index] else default

        if private == "?":
            on = final == "h"
            if 1049 in numbers or 47 in numbers or 1047 in numbers:
                if on:
                    self.saved, self.cells = self.cells, self._blank()
                elif self.saved is not None:
                    self.cells, self.saved = self.saved, None
            if 7 in numbers:
                self.autowrap = on
            return
        if final in "Hf":
            self.row, self.col = min(arg(0, 1), self.rows) - 1, min(arg(1, 1), self.cols) - 1
        elif final == "A":
            self.row = max(0, self.row - arg(0, 1))
        elif final == "B":
            self.row = min(self.rows - 1, self.row + arg(0, 1))
        elif final == "C":
            self.col = min(self.cols - 1, self.col + arg(0, 1))
        elif final == "D":
            self.col = max(0, self.col - arg(0, 1))
        elif final == "G":
            self.col = min(arg(0, 1), self.cols) - 1
        elif final == "d":
            self.row = min(arg(0, 1), self.rows) - 1
        elif final == "J":
            self._erase_display(arg(0, 0) if numbers else 0)
        elif final == "K":
            self._erase_line(arg(0, 0) if numbers else 0)
        elif final == "m":
            self._sgr(numbers or [0])
        elif final == "n" and arg(0, 0) == 6:
            self.replies.append(f"\x1b[{self.row + 1};{self.col + 1}R")

    def _erase_line(self, mode: int, row: int | None = None) -> None:
        row = self.row if row is None else row
        start, end = {0: (self.col, self.cols), 1: (0, self.col + 1), 2: (0, self.cols)}.get(mode, (0, 0))
        for col in range(start, min(end, self.cols)):
            self.cells[row][col] = Cell(bg=self.pen.bg)

    def _erase_display(self, mode: int) -> None:
        if mode in (2, 3):
            self.cells = self._blank()
            return
        self._erase_line(mode)
        rows = range(self.row + 1, self.rows) if mode == 0 else range(0, self.row)
        for row in rows:
            self.cells[row] = [Cell(bg=self.pen.bg) for _ in range(self.cols)]

    def _sgr(self, numbers: list[int]) -> None:
        index = 0
        while index < len(numbers):
            n = numbers[index]
            if n == 0:
                self.pen = Cell()
            elif n == 1:
                self.pen.bold = True
            elif n == 3:
                self.pen.italic = True
            elif n == 7:
                self.pen.reverse = True
            elif n == 22:
                self.pen.bold = False
            elif n == 23:
                self.pen.italic = False
            elif n == 27:
                self.pen.reverse = False
            elif 30 <= n <= 37 or 90 <= n <= 97:
                self.pen.fg = n - 30 if n < 90 else n - 82
            elif 40 <= n <= 47 or 100 <= n <= 107:
                self.pen.bg = n - 40 if n < 100 else n - 92
            elif n == 39:
                self.pen.fg = None
            elif n == 49:
                self.pen.bg = None
            elif n in (38, 48) and index + 1 < len(numbers):
                colour = numbers[index + 2] if numbers[index + 1] == 5 and index + 2 < len(numbers) else None
                index += 2 if numbers[index + 1] == 5 else 4
                if n == 38:
                    self.pen.fg = colour
                else:
                    self.pen.bg = colour
            index += 1


PALETTE = [
    (30, 30, 30), (205, 49, 49), (13, 188, 121), (229, 229, 16), (36, 114, 200), (188, 63, 188), (17, 168, 205),
    (229, 229, 229), (102, 102, 102), (241, 76, 76), (35, 209, 139), (245, 245, 67), (59, 142, 234),
    (214, 112, 214), (41, 184, 219), (255, 255, 255),
]


def save_png(screen: Screen, path: Path) -> None:
    """Draw the screen as a terminal would: DejaVu Sans Mono, light text on a dark background."""
    from PIL import Image, ImageDraw, ImageFont

    fonts = Path("/usr/share/fonts/truetype/dejavu")
    regular = ImageFont.truetype(str(fonts / "DejaVuSansMono.ttf"), 18)
    bold = ImageFont.truetype(str(fonts / "DejaVuSansMono-Bold.ttf"), 18)
    cell_w, cell_h, pad = 11, 24, 12
    foreground, background = (229, 229, 229), (24, 24, 27)
    image = Image.new("RGB", (screen.cols * cell_w + 2 * pad, screen.rows * cell_h + 2 * pad), background)
    draw = ImageDraw.Draw(image)
    for y, line in enumerate(screen.cells):
        for x, cell in enumerate(line):
            fg = PALETTE[cell.fg] if cell.fg is not None and cell.fg < 16 else foreground
            bg = PALETTE[cell.bg] if cell.bg is not None and cell.bg < 16 else background
            if cell.reverse:
                fg, bg = bg, fg
            left, top = pad + x * cell_w, pad + y * cell_h
            if bg != background:
                draw.rectangle([left, top, left + cell_w - 1, top + cell_h - 1], fill=bg)
            if cell.char != " ":
                draw.text((left, top + 2), cell.char, font=bold if cell.bold else regular, fill=fg)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)


def test_the_screen_emulator_follows_cursor_moves_erases_and_attributes():
    screen = Screen(rows=3, cols=10)

    screen.feed("\x1b[?1049h\x1b[2;3Hab\x1b[1;7mC\x1b[0m\x1b[1;1Hxyz\x1b[1;2H\x1b[K")
    screen.feed("\x1b[3;1Hhal")
    screen.feed("\x1b[")  # a sequence split between two reads
    screen.feed("1Dlo")

    assert screen.text() == "x\n  abC\nhalo"
    assert screen.cells[1][4].bold and screen.cells[1][4].reverse
    screen.feed("\x1b[?1049l")
    assert screen.text() == "\n\n"


# --- the real client in a pseudo-terminal ------------------------------------------------------------------------


@dataclass
class Stack:
    fake: FakeRasa
    url: str
    hub: Hub


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    """A fake Rasa REST channel and the real chat gateway, each on its own loopback port."""
    fake = FakeRasa()
    with serve(fake.app()) as rasa_url:
        settings = widget_settings(tmp_path / "server", rasa_url)
        hub = Hub(settings.idle_seconds)
        with serve(widget_app(settings, hub=hub)) as url:
            yield Stack(fake, url, hub)


@pytest.fixture
def empty_home(tmp_path: Path) -> Iterator[Path]:
    """HOME, VEIVALG_HOME and the working directory of the client: it must stay empty."""
    home = tmp_path / "home"
    home.mkdir()
    yield home
    assert sorted(p.name for p in home.rglob("*")) == [], "the terminal client wrote files"


def spawn(home: Path, *args: str) -> pexpect.spawn:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "VEIVALG_HOME": str(home),
        "VEIVALG_SECRET_KEY": SECRET,
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONPATH": str(PROJECT_ROOT),
    }
    return pexpect.spawn(
        sys.executable, ["-m", "bot.ops.cli", "chat", *args], env=env, cwd=str(home),
        dimensions=(24, 80), encoding="utf-8", timeout=30,
    )


class Terminal:
    """The client's screen, read back through the emulator."""

    def __init__(self, child: pexpect.spawn) -> None:
        self.child = child
        self.screen = Screen()
        self.raw = ""

    def pump(self, seconds: float = 0.1) -> None:
        try:
            data = self.child.read_nonblocking(65536, timeout=seconds)
        except pexpect.TIMEOUT:
            return
        except pexpect.EOF:
            return
        self.raw += data
        self.screen.feed(data)
        for reply in self.screen.replies:
            self.child.send(reply)
        self.screen.replies.clear()

    def wait_for(self, check: Callable[[str], bool], what: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump()
            if check(self.screen.text()):
                return self.screen.text()
        raise AssertionError(f"the screen never showed {what}:\n{self.screen.text()}")

    def shows(self, text: str, timeout: float = 30) -> str:
        return self.wait_for(lambda screen: text in " ".join(screen.split()), repr(text), timeout)

    def type(self, text: str) -> None:
        for char in text:
            self.child.send(char)
            self.pump(0.01)

    def quit(self) -> int:
        self.child.sendcontrol("c")
        self.child.expect(pexpect.EOF, timeout=20)
        self.child.close()
        assert self.child.exitstatus is not None
        return int(self.child.exitstatus)


def eventually(check: Callable[[], bool], timeout: float = 10) -> bool:
    """True as soon as `check` holds (the client ends a conversation in the background)."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def senders(stack: Stack) -> list[str]:
    return list(dict.fromkeys(request["sender"] for request in stack.fake.received))


def test_typing_a_number_picks_the_button_full_screen(stack: Stack, empty_home: Path):
    terminal = Terminal(spawn(empty_home, "--server", stack.url))

    terminal.shows(WELCOME)
    terminal.shows(HELP)
    terminal.shows("Veivalg – en chatbot for jobb og skole")
    save_png(terminal.screen, SCREENSHOTS / "terminal_start.png")
    terminal.type("hei\r")
    terminal.shows("1) Yrker og utdanning")
    terminal.shows("2) Snakk med en veileder")
    save_png(terminal.screen, SCREENSHOTS / "terminal_buttons.png")
    terminal.type("1\r")
    screen = terminal.shows("Veivalg: Hvilket yrke lurer du på?")

    assert "Du: Yrker og utdanning" in screen
    assert "Du: hei" in screen
    assert [r["message"] for r in stack.fake.received] == ["hei", "1"]
    assert senders(stack)[0].startswith("t-")
    assert {r["metadata"]["channel"] for r in stack.fake.received} == {"terminal"}
    assert all(len(line) <= 80 for line in screen.splitlines())
    assert terminal.quit() == 0
    assert eventually(lambda: not stack.hub.exists(senders(stack)[0]))  # Ctrl-C ends it on the server


def test_the_kiosk_in_english_once_the_bot_writes_english(stack: Stack, empty_home: Path):
    terminal = Terminal(spawn(empty_home, "--server", stack.url))
    terminal.shows(WELCOME)
    terminal.type("english\r")
    terminal.shows("1) Jobs and education")
    terminal.type("2\r")
    terminal.shows("You: Talk to a counsellor")
    screen = terminal.shows("Type the number or a message.")
    terminal.shows("Veivalg – a chatbot for work and school")
    save_png(terminal.screen, SCREENSHOTS / "terminal_english.png")

    assert "Veivalg: OK. I will write in English now." in " ".join(screen.split())
    assert terminal.quit() == 0


def test_arrow_keys_and_enter_pick_a_button(stack: Stack, empty_home: Path):
    terminal = Terminal(spawn(empty_home, "--server", stack.url))
    terminal.shows(WELCOME)
    terminal.type("hei\r")
    terminal.shows("2) Snakk med en veileder")

    terminal.type("\x1b[A")  # up: the last button
    terminal.shows("▶ 2) Snakk med en veileder")
    terminal.type("\r")

    terminal.shows("Jeg sier fra til en karriereveileder")
    assert stack.fake.received[-1]["message"] == "2"
    assert terminal.quit() == 0


def test_a_counsellors_message_arrives_on_the_kiosk_screen(stack: Stack, empty_home: Path):
    terminal = Terminal(spawn(empty_home, "--server", stack.url))
    terminal.shows(WELCOME)
    terminal.type("hei\r")
    terminal.shows("Hva vil du snakke om?")

    stack.hub.publish(senders(stack)[0], "counsellor", "Hei, jeg heter Kari. Jeg er karriereveileder her.")

    terminal.shows("Karriereveileder: Hei, jeg heter Kari.")
    save_png(terminal.screen, SCREENSHOTS / "terminal_counsellor.png")
    assert terminal.quit() == 0


def test_the_idle_time_wipes_the_screen_and_starts_a_new_conversation(stack: Stack, empty_home: Path):
    terminal = Terminal(spawn(empty_home, "--server", stack.url, "--idle", "4"))
    terminal.shows(WELCOME)
    terminal.type("hei\r")
    terminal.shows("Hva vil du snakke om?")
    first = senders(stack)[0]

    terminal.shows("Er du der? Samtalen slettes om")
    screen = terminal.shows(WIPED)

    assert "Hva vil du snakke om?" not in screen and "Du: hei" not in screen
    assert WELCOME in " ".join(screen.split())
    assert eventually(lambda: not stack.hub.exists(first))
    save_png(terminal.screen, SCREENSHOTS / "terminal_idle.png")
    terminal.type("hei\r")
    terminal.shows("Hva vil du snakke om?")
    assert len(senders(stack)) == 2 and senders(stack)[1] != first
    assert terminal.quit() == 0


def test_plain_mode_prints_lines_without_colours_and_wipes_when_idle(stack: Stack, empty_home: Path):
    child = spawn(empty_home, "--server", stack.url, "--plain", "--idle", "4")

    child.expect_exact(WELCOME)
    child.expect_exact("> ")
    child.sendline("hei")
    child.expect_exact("Veivalg: Hva vil du snakke om?")
    child.expect_exact("   1) Yrker og utdanning")
    child.expect_exact("   2) Snakk med en veileder")
    child.expect_exact("> ")
    child.sendline("1")
    child.expect_exact("Veivalg: Hvilket yrke lurer du på?")
    child.expect_exact("> ")
    transcript = str(child.before) + str(child.after)
    first = senders(stack)[0]

    child.expect_exact("Er du der? Samtalen slettes snart.")
    child.expect_exact(WIPED)
    child.expect_exact(WELCOME)
    assert eventually(lambda: not stack.hub.exists(first))
    child.sendline("/avslutt")
    child.expect_exact("Ha det bra!")
    child.expect(pexpect.EOF)
    child.close()

    assert child.exitstatus == 0
    assert "\x1b[" not in transcript  # no colours, no cursor movement
    assert [r["message"] for r in stack.fake.received] == ["hei", "1"]


def test_without_the_gateway_it_says_to_start_veivalg(empty_home: Path):
    child = spawn(empty_home, "--server", f"http://127.0.0.1:{free_port()}")

    child.expect_exact("Får ikke kontakt med Veivalg")
    child.expect_exact("Start Veivalg med «make run»")
    child.expect(pexpect.EOF)
    child.close()

    assert child.exitstatus == 1
