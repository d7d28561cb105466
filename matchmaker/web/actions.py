"""The shape of every page action: validate the form, call the service, commit, flash, redirect."""
from flask import Response, flash, redirect

from matchmaker.errors import DomainError
from matchmaker.extensions import db


def attempt(form, action, success, back: str, onward: str | None = None) -> Response:
    """Validate the posted form, run the service action and commit, flashing the outcome.

    A refusal goes back to `back` with its message; success goes on to `onward` (or back).
    `success` is the message, or a function of the action's result that makes it.
    """
    if not form.validate():
        flash("；".join(str(errors[0]) for errors in form.errors.values()), "error")
        return redirect(back)
    try:
        done = action(form.data)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message or "操作失败", "error")
        return redirect(back)
    db.session.commit()
    flash(success(done) if callable(success) else success, "success")
    return redirect(onward or back)
