from ninja import Field, Schema


class TokenIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=256)


class RefreshIn(Schema):
    refresh: str = Field(min_length=1, max_length=4096)


class PasswordChangeIn(Schema):
    old_password: str = Field(min_length=1, max_length=256)
    new_password: str = Field(min_length=1, max_length=256)


class TokenPairOut(Schema):
    access: str
    refresh: str
    token_type: str
    expires_in: int


class TicketOut(Schema):
    ticket: str
    expires_in: int


class MeOut(Schema):
    id: int
    username: str
    email: str
    first_name: str
    last_name: str
    role: str


class ClassroomOut(Schema):
    id: int
    name: str
    teacher_id: int
    student_ids: list[int]
