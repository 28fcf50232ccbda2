"""Microsoft.Resources/deployments: ARM template deployments at resource-group scope.

- `resource.py`: the registry type (PUT, GET, list, DELETE, validate, cancel, exportTemplate, whatIf,
  operations).
- `plan.py`: request parsing, `prepare()` plus pre-flight, the deployment document.
- `runner.py`: the `deployments.run` operation worker, batch by batch.
- `apply.py`: one template resource through the same registry path as a REST request; the resolver.
- `coerce.py`: Azure's lenient typing of template values; `whatif.py`: the what-if comparison.
"""

from __future__ import annotations

from vmss_emulator.domain.context import Context
from vmss_emulator.domain.deployments import runner
from vmss_emulator.domain.deployments.common import RUN_KIND
from vmss_emulator.domain.deployments.resource import Deployments


def register(ctx: Context) -> None:
    ctx.types().register(Deployments())
    ctx.ops().register(RUN_KIND, runner.advance)
