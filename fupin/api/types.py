"""The value shapes every resource shares, so that the schema states their bounds and a value
no record can have is refused as a bad request, never sent to the database."""

from typing import Annotated

from pydantic import Field

# Record ids as the database holds them (a 64-bit key); an area code of 12 digits.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
AreaCode = Annotated[str, Field(pattern=r"^[0-9]{12}$")]
AnyAreaCode = Annotated[str, Field(pattern=r"^[0-9]{12,15}$")]  # a villager group's, too
# The code of a row of data (a meeting or dispute type, a status): filters compare it in SQL.
Slug = Annotated[str, Field(pattern=r"^[-a-z0-9_]{1,32}$")]
