"""Service errors, answered with the modelled code and HTTP status."""

from __future__ import annotations

from .service_model import connect_model

# Not in the model: what AWS front ends answer for a path/method no operation has.
UNKNOWN_OPERATION = "UnknownOperationException"
_UNMODELLED_STATUS = {UNKNOWN_OPERATION: 404, "SerializationException": 400}


def status_for(code: str) -> int:
    if code in _UNMODELLED_STATUS:
        return _UNMODELLED_STATUS[code]
    shape = connect_model().shape_for(code)
    status: int = shape.metadata["error"]["httpStatusCode"]
    return status


class ServiceError(Exception):
    """An error the emulated service answers with; never carries a sensitive value."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message

    @property
    def status(self) -> int:
        return status_for(self.code)


def invalid_parameter(message: str) -> ServiceError:
    return ServiceError("InvalidParameterException", message)


def invalid_request(message: str) -> ServiceError:
    return ServiceError("InvalidRequestException", message)


def not_found(message: str) -> ServiceError:
    return ServiceError("ResourceNotFoundException", message)


def validation_error_for(operation: str, message: str) -> ServiceError:
    """A constraint violation, as the error class the operation models for bad input."""
    modelled = {shape.name for shape in connect_model().operation_model(operation).error_shapes}
    code = (
        "InvalidParameterException"
        if "InvalidParameterException" in modelled
        else "InvalidRequestException"
    )
    return ServiceError(code, message)
