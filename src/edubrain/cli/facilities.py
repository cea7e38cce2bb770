"""``edubrain facilities``: recompute the IoT device months and the facility, usage and satisfaction indicators."""

from __future__ import annotations

import typer

from edubrain.cli.common import FORMAT_OPTION, CommandGroup, OutputFormat, home, print_derived_run

app = CommandGroup(
    help="校园设施、应用使用与满意度：重算派生指标 / campus facilities, usage and satisfaction: recompute the indicators."
    "\n\nExample: edubrain facilities run",
    no_args_is_help=True,
)


@app.command("run")
def run(fmt: OutputFormat = FORMAT_OPTION) -> None:
    """重算设施与应用指标 / recompute facility_device_months, facility_indicators and facility_area_indicators.

    Reads iot_devices, iot_readings, app_usage_events, satisfaction_surveys, schools, students and teachers at
    their current lake versions (the engine of EDUBRAIN_ENGINE), computes each device's expected, online and
    fault days per month and the indicators per school, district and city per month (docs/facilities.md),
    withholds cells of fewer persons than EDUBRAIN_SMALL_CELL_MIN, and writes each dataset as one new lake
    version with its lineage. Submitting an input does this automatically at the end of the session; use this
    command after changing EDUBRAIN_SMALL_CELL_MIN. Prints each dataset written with its new version and rows,
    and the inputs read (--format json for programs).

    Example: edubrain facilities run
    """
    from edubrain.jobs.facilities import run_facilities

    h = home()
    h.ensure_initialised()
    print_derived_run(run_facilities(h), fmt)


def register(parent: typer.Typer) -> None:
    """Add the facilities command group to parent."""
    parent.add_typer(app, name="facilities")
