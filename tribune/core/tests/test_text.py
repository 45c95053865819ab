"""Reader text without private-use characters, bidi controls or NUL."""

from __future__ import annotations

import pytest

from tribune.core.text import clean_reader_text


@pytest.mark.parametrize(
    "char",
    [
        "\x00",
        "\u061c",
        "\u200e",
        "\u200f",
        *(chr(c) for c in range(0x202A, 0x202F)),
        *(chr(c) for c in range(0x2066, 0x206A)),
        "\ue000",
        "\ue001",
        "\uf8ff",
        "\U000f0000",
        "\U000ffffd",
        "\U00100000",
        "\U0010fffd",
    ],
)
def test_invisible_controls_and_private_use_characters_are_removed(char) -> None:
    assert clean_reader_text(f"a{char}b{char}") == "ab"


def test_other_text_is_kept_as_typed() -> None:
    text = "Zoë — مرحبا 你好 👋\n  two  lines\t\u200d"
    assert clean_reader_text(text) == text
