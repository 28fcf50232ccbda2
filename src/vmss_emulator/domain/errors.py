"""ARM errors: one hierarchy, named after the codes Azure returns.

Every refusal the emulator makes is one of these. The HTTP status and the default code are class
attributes; a raise site gives the message (Azure's own wording where known), and the target and
details where Azure gives them. `server/errors.py` is the only place that renders them as
`{"error": {"code", "message", "target", "details"}}`.

    ArmError
    ├── BadRequest (400)
    │   ├── InvalidParameter
    │   ├── InvalidRequestContent          malformed JSON, wrong JSON types
    │   ├── InvalidRequestFormat
    │   ├── MissingApiVersionParameter
    │   ├── InvalidApiVersionParameter     ARM-owned endpoints
    │   ├── NoRegisteredProviderFound      resource-provider endpoints
    │   ├── InvalidResourceType
    │   ├── InvalidResourceName / InvalidResourceGroup / InvalidSubscriptionId
    │   ├── LocationRequired / InvalidResourceReference / LinkedInvalidPropertyId
    │   └── InvalidTemplate / InvalidTemplateDeployment / DeploymentFailed (deployments)
    ├── AuthenticationFailed (401)
    │   └── InvalidAuthenticationToken / ExpiredAuthenticationToken
    ├── ResourceNotFound (404)
    │   ├── ResourceGroupNotFound / SubscriptionNotFound / NotFound (network RP)
    │   ├── DeploymentNotFound / OperationNotFound
    ├── MethodNotAllowed (405)
    ├── Conflict (409)
    │   ├── OperationNotAllowed / PropertyChangeNotAllowed / MissingSubscriptionRegistration
    │   └── ResourceGroupBeingDeleted / AnotherOperationInProgress
    ├── PreconditionFailed (412)
    └── InternalServerError (500)      never raised on purpose

A code that Azure uses in only one place (for example `InUseSubnetCannotBeDeleted`) is a subclass
of the right status class declared beside the rule that raises it; `code` defaults to the class name.
"""

from __future__ import annotations

from typing import Any, ClassVar


class ArmError(Exception):
    """An error that ARM reports to the client with `status` and `code`."""

    status: ClassVar[int] = 500
    code: str = "InternalServerError"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # The code is the class name unless the class says otherwise.
        if "code" not in cls.__dict__:
            cls.code = cls.__name__

    def __init__(
        self,
        message: str,
        *,
        target: str | None = None,
        details: list[dict[str, Any]] | None = None,
        code: str | None = None,
        additional_info: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.target = target
        self.details = details
        self.additional_info = additional_info
        if code is not None:
            self.code = code

    def to_error_body(self) -> dict[str, Any]:
        """The inner `error` object of ARM's envelope (also used inside operation statuses)."""
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.target is not None:
            body["target"] = self.target
        if self.details is not None:
            body["details"] = self.details
        if self.additional_info is not None:
            body["additionalInfo"] = self.additional_info
        return body

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.status}, {self.code!r}, {self.message!r})"


# -- 400 -------------------------------------------------------------------------------------------


class BadRequest(ArmError):
    status = 400


class InvalidParameter(BadRequest):
    pass


class InvalidFilterInQueryString(BadRequest):
    pass


class InvalidRequestContent(BadRequest):
    pass


class InvalidRequestFormat(BadRequest):
    pass


class MissingApiVersionParameter(BadRequest):
    pass


class InvalidApiVersionParameter(BadRequest):
    pass


class NoRegisteredProviderFound(BadRequest):
    pass


class InvalidResourceType(BadRequest):
    pass


class InvalidResourceName(BadRequest):
    pass


class InvalidResourceGroup(BadRequest):
    pass


class InvalidSubscriptionId(BadRequest):
    pass


class LocationRequired(BadRequest):
    pass


class InvalidResourceReference(BadRequest):
    pass


class LinkedInvalidPropertyId(BadRequest):
    pass


class InvalidTemplate(BadRequest):
    pass


class InvalidTemplateDeployment(BadRequest):
    pass


class DeploymentFailed(BadRequest):
    pass


# -- 401 -------------------------------------------------------------------------------------------


class AuthenticationFailed(ArmError):
    status = 401


class InvalidAuthenticationToken(AuthenticationFailed):
    pass


class ExpiredAuthenticationToken(AuthenticationFailed):
    pass


# -- 404 -------------------------------------------------------------------------------------------


class ResourceNotFound(ArmError):
    status = 404


class ResourceGroupNotFound(ResourceNotFound):
    pass


class SubscriptionNotFound(ResourceNotFound):
    pass


class NotFound(ResourceNotFound):
    """The Network RP's 404 code (it also sends `details: []`)."""


class DeploymentNotFound(ResourceNotFound):
    pass


class OperationNotFound(ResourceNotFound):
    pass


# -- 405 / 409 / 412 / 500 -------------------------------------------------------------------------


class MethodNotAllowed(ArmError):
    status = 405
    code = "MethodNotAllowed"


class Conflict(ArmError):
    status = 409


class OperationNotAllowed(Conflict):
    pass


class PropertyChangeNotAllowed(Conflict):
    pass


class MissingSubscriptionRegistration(Conflict):
    pass


class ResourceGroupBeingDeleted(Conflict):
    pass


class AnotherOperationInProgress(Conflict):
    pass


class PreconditionFailed(ArmError):
    status = 412


class InternalServerError(ArmError):
    status = 500
