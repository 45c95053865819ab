"""The admin's WordPress upload form."""

from __future__ import annotations

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from tribune.moving import conf


class WordPressUploadForm(forms.Form):
    export = forms.FileField(
        label=_("WordPress export file"),
        help_text=_("The .xml file of Tools → Export → All content in WordPress."),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run"),
        required=False,
        help_text=_("Import everything, show the report, then keep nothing."),
    )

    def clean_export(self) -> object:
        upload = self.cleaned_data["export"]
        limit = conf.upload_limit()
        if upload.size > limit:
            raise forms.ValidationError(
                _(
                    "This file is larger than %(limit)s. Import it on the server "
                    "with `tribune import_wordpress` instead."
                )
                % {"limit": filesizeformat(limit)}
            )
        return upload
