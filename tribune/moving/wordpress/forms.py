"""The admin's import forms: a WordPress export with its uploads zip and its
wpDiscuz subscriptions, or a Disqus export."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from tribune.moving import archives, conf


def limits() -> archives.Limits:
    return archives.Limits(
        max_bytes=conf.uploads_max_bytes(),
        max_files=conf.uploads_max_files(),
        max_ratio=conf.uploads_max_ratio(),
    )


def _too_big(upload: UploadedFile, limit: int, command: str) -> None:
    if (upload.size or 0) > limit:
        raise forms.ValidationError(
            _(
                "This file is larger than %(limit)s. Import it on the server "
                "with `%(command)s` instead."
            )
            % {"limit": filesizeformat(limit), "command": command}
        )


class _ExportForm(forms.Form):
    command = "tribune import_wordpress EXPORT.xml"

    export = forms.FileField(label=_("Export file"))
    dry_run = forms.BooleanField(
        label=_("Dry run"),
        required=False,
        help_text=_("Import everything, show the report, then keep nothing."),
    )

    def clean_export(self) -> Any:
        upload = self.cleaned_data["export"]
        _too_big(upload, conf.upload_limit(), self.command)
        return upload


class WordPressUploadForm(_ExportForm):
    uploads = forms.FileField(
        label=_("Uploads (zip, optional)"),
        required=False,
        help_text=_(
            "A zip of wp-content/uploads: pictures become images, other files "
            "(PDF, audio, video) documents."
        ),
    )
    subscriptions = forms.FileField(
        label=_("wpDiscuz subscriptions (optional)"),
        required=False,
        help_text=_(
            "A CSV export of the wc_comments_subscription table, or an SQL dump of it."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["export"].label = _("WordPress export file")
        self.fields["export"].help_text = _(
            "The .xml file of Tools → Export → All content in WordPress."
        )

    def clean_uploads(self) -> Any:
        upload = self.cleaned_data.get("uploads")
        if not upload:
            return None
        command = "tribune import_wordpress EXPORT.xml --uploads DIR"
        _too_big(upload, conf.uploads_max_bytes(), command)
        try:
            archives.check_upload(upload, limits())
        except archives.UnsafeArchiveError as error:
            raise forms.ValidationError(
                _(
                    "This zip is refused: %(reason)s. Import it on the server "
                    "with `%(command)s`."
                )
                % {"reason": error, "command": command}
            ) from None
        upload.seek(0)
        return upload

    def clean_subscriptions(self) -> Any:
        upload = self.cleaned_data.get("subscriptions")
        if upload:
            _too_big(
                upload,
                conf.upload_limit(),
                "tribune import_wordpress --subscriptions FILE",
            )
        return upload or None


class DisqusUploadForm(_ExportForm):
    command = "tribune import_disqus EXPORT.xml"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["export"].label = _("Disqus export file")
        self.fields["export"].help_text = _(
            "The .xml file Disqus mails from Admin → Moderation → Export."
        )
