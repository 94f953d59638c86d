#!/usr/bin/env python3
"""Prints the benchmark table (Markdown) from the rows run.sh recorded.

  report.py RESULTS_TSV

Each row: part, measure, unit, registry value, nginx value ("" if none), goal ("" if none).
A goal is `ratio>=X` / `ratio<=X` (registry / nginx) or `>=X` / `<=X` / `<X` on the
registry's value.
"""
import sys


def number(text):
    return float(text) if text not in ("", "-") else None


def fmt(value, unit):
    if value is None:
        return ""
    if abs(value) >= 100:
        text = f"{value:,.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    elif abs(value) >= 1:
        text = f"{value:.2f}"
    else:
        text = f"{value:.3g}"
    return f"{text} {unit}".strip()


def verdict(goal, reg, ratio):
    if not goal or reg is None:
        return ""
    subject = ratio if goal.startswith("ratio") else reg
    if subject is None:
        return "?"
    expr = goal[len("ratio"):] if goal.startswith("ratio") else goal
    for op, test in (("<=", lambda a, b: a <= b), (">=", lambda a, b: a >= b),
                     ("<", lambda a, b: a < b), (">", lambda a, b: a > b)):
        if expr.startswith(op):
            return "yes" if test(subject, float(expr[len(op):])) else "**no**"
    return "?"


def main():
    rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
    print("| part | measure | registry | nginx | registry / nginx | goal | met |")
    print("|---|---|---:|---:|---:|---|---|")
    for part, measure, unit, reg_text, ngx_text, goal in rows:
        reg, ngx = number(reg_text), number(ngx_text)
        ratio = reg / ngx if reg is not None and ngx else None
        goal_text = goal.replace("ratio", "ratio ").replace(">=", "≥ ").replace("<=", "≤ ")
        print(f"| {part} | {measure} | {fmt(reg, unit)} | {fmt(ngx, unit)} | "
              f"{'' if ratio is None else f'{ratio:.2f}x'} | {goal_text} | "
              f"{verdict(goal, reg, ratio)} |")


if __name__ == "__main__":
    main()
