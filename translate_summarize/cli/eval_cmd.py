"""`tsum eval`: score outputs against references (the work lives in cli/evaluate.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

# Light: sacrebleu and rouge-score are imported only when scores are computed.
from translate_summarize.cli.evaluate import DEFAULT_EVAL_FORMAT, EVAL_FORMATS, evaluate, render_evaluation
from translate_summarize.errors import UsageError

EVAL_EXAMPLES = """\b
Examples:
  tsum eval hyp.en.txt ref.en.txt               one segment per line in both
  tsum eval out.json ref.en.txt --ter           a tsum JSON output against its reference
  tsum eval out/ refs/ --format json            folders, paired by path: out/a.json <-> refs/a.txt
  tsum eval out/ summaries/ --summary           the outputs' summaries, with ROUGE-1/2/L
"""


@click.command(name="eval", epilog=EVAL_EXAMPLES)
@click.argument("hypotheses", type=click.Path(path_type=Path))
@click.argument("references", type=click.Path(path_type=Path))
@click.option(
    "--format", "output_format", type=click.Choice(tuple(EVAL_FORMATS)), default=DEFAULT_EVAL_FORMAT, show_default=True
)
@click.option("--ter", is_flag=True, help="Add TER (translation edit rate; lower is better).")
@click.option("--rouge", "use_rouge", is_flag=True, help="Add ROUGE-1/2/L (for summaries).")
@click.option("--summary", is_flag=True, help="Score the tsum outputs' summaries (implies --rouge).")
def evaluate_command(hypotheses, references, output_format, ter, use_rouge, summary):
    """Score translations or summaries against references: BLEU and chrF (sacrebleu), TER, ROUGE.

    HYPOTHESES and REFERENCES are two text files with one segment per line, a tsum JSON output
    and a reference text, or a folder of tsum JSON outputs and a folder of references.
    """
    if sys.stdout is None:  # click.echo would drop the scores silently
        raise UsageError("standard output is closed: tsum eval prints its scores there (tsum eval ... > scores.txt)")
    evaluation = evaluate(hypotheses, references, ter=ter, use_rouge=use_rouge, summary=summary)
    click.echo(render_evaluation(evaluation, output_format), nl=False)
