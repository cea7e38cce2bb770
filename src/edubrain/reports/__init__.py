"""Printable reports for people: the 体质健康报告卡 (physical health report card) for parents."""
