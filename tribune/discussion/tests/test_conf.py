from django.test import override_settings

from tribune.discussion import conf


def test_a_default_is_read_and_an_overridden_setting_wins_while_it_lasts():
    assert conf.get("PAGE_SIZE") == 30
    with override_settings(DISCUSSION_PAGE_SIZE=7):
        assert conf.get("PAGE_SIZE") == 7
        with override_settings(DISCUSSION_PAGE_SIZE=3):
            assert conf.get("PAGE_SIZE") == 3
        assert conf.get("PAGE_SIZE") == 7
    assert conf.get("PAGE_SIZE") == 30


def test_the_settings_fixture_is_followed_too(settings):
    conf.get("GUEST_COOKIE")
    settings.DISCUSSION_GUEST_COOKIE = "another_guest"
    assert conf.get("GUEST_COOKIE") == "another_guest"
