from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fupin.core.import_errors import command_refuse, message
from fupin.core.models import User
from fupin.core.passwords_file import write_passwords
from fupin.core.reading import ImportFileError
from fupin.core.roles import Role
from fupin.core.user_import import check_users, column_title, write_users


class Command(BaseCommand):
    help = (
        "Create users from a sheet (.xlsx or .csv) with the columns 用户名/username, 姓名/name, "
        "电话/phone, 角色/role (a role's Chinese or English name or its key), 区划代码/area. "
        "All or nothing. Each new account gets a one-time password, to be changed at the first "
        "sign-in: written to --passwords-out (.csv or .xlsx, readable by its owner only)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--passwords-out", type=Path, required=True)
        parser.add_argument(
            "--user", help="the administrator the users are made by (default: all-areas)"
        )

    def handle(self, *args, file, passwords_out, user=None, **options):
        if not file.exists():
            raise CommandError(f"{file} does not exist.")
        if passwords_out.suffix.lower() not in (".csv", ".xlsx"):
            raise CommandError("--passwords-out must end in .csv or .xlsx.")
        by = _by(user)
        try:
            plan = check_users(file, by=by)
        except ImportFileError as error:
            raise CommandError(message(error.code, error.params)) from None
        if plan.errors:
            command_refuse(self.stderr, plan.errors, column_title, said="no user was created.")
        made = write_users(plan, by=by)
        write_passwords(passwords_out, made)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {len(made)} users; their one-time passwords are in {passwords_out}."
            )
        )


def _by(username):
    if username:
        by = User.objects.filter(username=username, is_active=True).first()
        if by is None or by.role != Role.ADMIN:
            raise CommandError(f"{username!r} is not an active administrator.")
        return by
    # The command is run by whoever runs the server: it acts with all-areas reach.
    return User(role=Role.ADMIN, area=None, is_active=True)
