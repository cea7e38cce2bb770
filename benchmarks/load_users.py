"""The locust user of the load benchmark (``load.py`` runs locust with this file as its locustfile).

Each user takes one of the accounts ``load.py`` logged in before the run (a JSON file named by
``EDUBRAIN_BENCH_ACCOUNTS``: session cookies and the profile pages the account opens) and browses the
cockpit, dataset and profile pages with a think time of ``EDUBRAIN_BENCH_WAIT`` (``MIN,MAX`` seconds).
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

from locust import HttpUser, between, task

ACCOUNTS_ENV = "EDUBRAIN_BENCH_ACCOUNTS"
WAIT_ENV = "EDUBRAIN_BENCH_WAIT"


class CockpitBrowser(HttpUser):
    """A city, district or school user looking at the cockpit and paging through datasets."""

    wait_time = between(*(float(x) for x in os.environ.get(WAIT_ENV, "1,5").split(",")))

    def on_start(self) -> None:
        self.account = random.choice(json.loads(Path(os.environ[ACCOUNTS_ENV]).read_text(encoding="utf-8")))
        self.client.cookies.update(self.account["cookies"])  # a session opened by logging in before the run

    def page(self, path: str, name: str) -> None:
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} (a logged-in page must answer 200)")

    @task(4)
    def cockpit(self) -> None:
        self.page("/", "/ (cockpit)")

    @task(1)
    def district(self) -> None:
        if self.account["district"]:
            self.page(f"/district/{self.account['district']}", "/district/[code]")

    @task(2)
    def students(self) -> None:
        self.page(f"/data/students?page={random.randint(1, 5)}", "/data/students")

    @task(1)
    def teachers(self) -> None:
        self.page(f"/data/teachers?page={random.randint(1, 3)}", "/data/teachers")

    @task(1)
    def schools(self) -> None:
        self.page("/data/schools", "/data/schools")

    # the profile pages (全息画像), each reported under its own name; the subjects were picked in the prepare step

    @task(1)
    def profiles_entry(self) -> None:
        purpose = self.account["purpose"]
        self.page("/profiles" + (f"?purpose={purpose}" if purpose else ""), "profile entry (/profiles)")

    @task(2)
    def profile_student(self) -> None:
        if self.account["pupils"]:
            pupil = random.choice(self.account["pupils"])
            self.page(f"/profiles/students/{pupil}?purpose={self.account['purpose']}", "profile student")

    @task(2)
    def profile_school(self) -> None:
        if self.account["schools"]:
            self.page(f"/profiles/schools/{random.choice(self.account['schools'])}", "profile school")

    @task(1)
    def profile_teacher(self) -> None:
        if self.account["teachers"]:
            self.page(f"/profiles/teachers/{random.choice(self.account['teachers'])}", "profile teacher")

    @task(1)
    def profile_evidence(self) -> None:
        if self.account["evidence"]:
            self.page(random.choice(self.account["evidence"]), "profile evidence")
