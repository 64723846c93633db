"""Writes bind the page's own Django form: the JSON given becomes what the form would post."""

from django.core.exceptions import ValidationError


def form_data(form_class, instance, given: dict) -> dict:
    """What the page's form would post: the record's values, with those given over them (a
    field left out keeps its value; a checkbox posts only when ticked; a link posts its key)."""
    data = {}
    if instance is not None:
        model = form_class._meta.model._meta
        for name in form_class._meta.fields:
            field = model.get_field(name)
            if field.many_to_many:
                linked = getattr(instance, name).all() if instance.pk else []
                data[name] = [row.pk for row in linked]
            else:
                data[name] = getattr(instance, field.attname)
    data.update({name: value for name, value in given.items() if value is not None})
    return {
        name: ("on" if value is True else value)
        for name, value in data.items()
        if value is not False and value is not None
    }


def valid(form):
    """The form's cleaned data, or its errors raised as the API's 422 `invalid`."""
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return form.cleaned_data
