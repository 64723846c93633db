from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class ConstraintErrorsAtFields:
    """Shows a broken constraint's message at the field it names, not above the whole form.

    Django puts the error of every constraint but a one-field unique one above the form;
    `constraint_fields` maps a constraint's violation_error_code to the field its message
    is about. That field is always one the constraint reads: a form without the field never
    checks the constraint (Django skips it), so never gets an error for a field it lacks.
    """

    constraint_fields: dict[str, str] = {}

    def validate_constraints(self, exclude=None):
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            errors: dict[str, list] = {}
            for name, found in error.error_dict.items():
                for one in found:
                    at = (
                        self.constraint_fields.get(one.code, name)
                        if name == NON_FIELD_ERRORS
                        else name
                    )
                    errors.setdefault(at, []).append(one)
            raise ValidationError(errors) from None
