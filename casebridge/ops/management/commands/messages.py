"""`casebridge messages`: the interface's translations (docs/i18n.md).

    compile   write the .mo files Django reads (an install step; needs no gettext tools)
    update    extract the marked strings (makemessages, needs GNU gettext) and fill them from the table
    harvest   copy translations made in a .po editor into the table
    check     list the template text not marked for translation and the incomplete catalogues
"""

from django.core.management.base import BaseCommand, CommandError

from casebridge.i18n import catalogues, table, templates


class Command(BaseCommand):
    help = "compile | update | harvest | check: the interface's message catalogues"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["compile", "update", "harvest", "check"])

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")()

    def _compile(self):
        written = catalogues.compile_catalogues()
        self.stdout.write(f"compiled {len(written)} catalogue(s)")

    def _update(self):
        for language, applied in catalogues.update().items():
            self.stdout.write(f"{language}: {applied.filled} filled from the table, {len(applied.missing)} missing, "
                              f"{len(applied.unused)} table entries unused")

    def _harvest(self):
        for language in catalogues.translated_languages():
            added = table.harvest(catalogues.po_path(language), language)
            self.stdout.write(f"{language}: {added} translation(s) added to the table")

    def _check(self):
        gaps = templates.project_gaps()
        problems = [p for language in catalogues.translated_languages() for p in catalogues.problems(language)]
        for line in map(str, [*gaps, *problems]):
            self.stdout.write(line)
        if gaps or problems:
            raise CommandError(f"{len(gaps)} unmarked template text(s), {len(problems)} catalogue problem(s)")
        self.stdout.write("every template string is marked and every catalogue is complete")
