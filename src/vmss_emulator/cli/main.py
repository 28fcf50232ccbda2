"""`vmss-emulator`: start the emulator and point clients at it."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from vmss_emulator.cli.azlogin import AzLoginError, az_login
from vmss_emulator.cli.connection import Connection, load_settings, save_identity
from vmss_emulator.settings import DEFAULT_PORT, default_data_dir

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
console = Console(stderr=True)

DataDir = Annotated[Path, typer.Option("--data-dir", help="Where state, certificates and keys live.")]
Port = Annotated[int | None, typer.Option("--port", help="HTTPS port (default: the one the server was started with).")]


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="HTTPS port.")] = DEFAULT_PORT,
    data_dir: DataDir = default_data_dir(),
    in_memory: Annotated[bool, typer.Option("--in-memory", help="Keep state in memory only.")] = False,
    lifecycle: Annotated[str, typer.Option(help="Lifecycle profile: instant or realistic.")] = "instant",
    time_scale: Annotated[float, typer.Option(help="Multiply every lifecycle delay by this.")] = 1.0,
    tenant_id: Annotated[str | None, typer.Option(help="Tenant id of the emulated directory.")] = None,
    subscription_id: Annotated[str | None, typer.Option(help="Id of the default subscription.")] = None,
    client_id: Annotated[str | None, typer.Option(help="Service principal (application) id.")] = None,
    client_secret: Annotated[str | None, typer.Option(help="Service principal secret.")] = None,
) -> None:
    """Serve the ARM endpoint over HTTPS until Ctrl-C."""
    import uvicorn

    from vmss_emulator.app import create_emulator
    from vmss_emulator.certs import ensure_certificates
    from vmss_emulator.domain.lifecycle import PROFILES

    if lifecycle not in PROFILES:
        raise typer.BadParameter(f"choose one of {', '.join(PROFILES)}", param_hint="--lifecycle")
    settings = load_settings(
        data_dir,
        port,
        tenant_id=tenant_id,
        subscription_id=subscription_id,
        client_id=client_id,
        client_secret=client_secret,
        lifecycle_profile=lifecycle,
        time_scale=time_scale,
    )
    settings.host = host
    settings.in_memory = in_memory
    certs = ensure_certificates(settings.certs_dir)
    save_identity(settings)
    emulator = create_emulator(settings)
    connection = Connection.of(settings)
    console.print(f"[bold]vmss-emulator[/] listening on [cyan]{settings.base_url()}[/]")
    console.print(f"  state:        {'memory' if in_memory else settings.database}")
    console.print(f"  CA bundle:    {certs.bundle}")
    console.print(f"  subscription: {connection.subscription_id}   tenant: {connection.tenant_id}")
    console.print(f'  clients:      eval "$(vmss-emulator env --data-dir {shlex.quote(str(data_dir))})"')
    console.print(
        f"  az:           vmss-emulator az-login --config-dir ~/.azure-emulator --data-dir {shlex.quote(str(data_dir))}"
    )
    uvicorn.run(
        emulator.asgi(),
        host=host,
        port=settings.port,
        ssl_certfile=str(certs.server),
        ssl_keyfile=str(certs.server_key),
        log_level="warning",
        lifespan="on",
    )
    emulator.close()


@app.command()
def env(
    data_dir: DataDir = default_data_dir(),
    port: Port = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object instead of export lines.")] = False,
) -> None:
    """Print the environment that points the Azure SDK, azure-identity and az at the emulator."""
    connection = Connection.of(load_settings(data_dir, port))
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "base_url": connection.base_url,
                    "ca_cert": connection.ca_cert,
                    "ca_bundle": connection.ca_bundle,
                    "tenant_id": connection.tenant_id,
                    "subscription_id": connection.subscription_id,
                    "client_id": connection.client_id,
                    "client_secret": connection.client_secret,
                    "authority_host": connection.authority_host,
                },
                indent=2,
            )
        )
        return
    for name, value in connection.env().items():
        typer.echo(f"export {name}={shlex.quote(value)}")


@app.command("az-login")
def az_login_command(
    config_dir: Annotated[Path, typer.Option("--config-dir", help="The AZURE_CONFIG_DIR to prepare.")],
    data_dir: DataDir = default_data_dir(),
    port: Port = None,
    az: Annotated[str | None, typer.Option("--az", help="Path of the az executable.")] = None,
) -> None:
    """Register the emulator as an az cloud and log in with its service principal (the server must be running)."""
    connection = Connection.of(load_settings(data_dir, port))
    try:
        az_login(connection, config_dir, az)
    except AzLoginError as error:
        console.print(f"[red]error:[/] {error}")
        raise typer.Exit(1) from None
    console.print(f"az is logged in to {connection.base_url}. Use it with:")
    typer.echo(
        f"AZURE_CONFIG_DIR={shlex.quote(str(config_dir))} REQUESTS_CA_BUNDLE={shlex.quote(connection.ca_bundle)} "
        "AZURE_CORE_INSTANCE_DISCOVERY=false az ..."
    )


def main() -> None:
    app(prog_name="vmss-emulator")


if __name__ == "__main__":  # pragma: no cover
    main()
