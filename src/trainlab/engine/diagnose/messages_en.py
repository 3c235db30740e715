"""The diagnosis in English: every message id of :mod:`.messages` and its template.

A template is a :meth:`str.format` string; :mod:`.messages_es` has the same ids
and, per id, the same ``{placeholders}`` (a test checks both). A count that
agrees with its noun is written ``{k:epoch|epochs}`` (see
:class:`~trainlab.engine.diagnose.messages.Count`).

Example:
    >>> from trainlab.engine.diagnose.messages_en import MESSAGES, VERDICT_NAMES
    >>> VERDICT_NAMES["overfitting"], MESSAGES["remedy.early_stopping"][:14]
    ('overfitting', 'Early stopping')
"""

from __future__ import annotations

#: the name shown for each verdict (the keys are :data:`~trainlab.engine.diagnose.VERDICTS`)
VERDICT_NAMES: dict[str, str] = {
    "diverged": "diverged",
    "unstable": "unstable",
    "overfitting": "overfitting",
    "underfitting": "underfitting",
    "good fit": "good fit",
}

#: message id → template
MESSAGES: dict[str, str] = {
    # -- words used inside messages
    "unit.points_one": "{n} point",
    "unit.points_other": "{n} points",
    "word.nan": "NaN",
    "word.infinite": "infinite",
    "note.no_validation": " No validation data was recorded, so overfitting cannot be judged.",
    "unit.epochs_one": "{n} epoch",
    "unit.epochs_other": "{n} epochs",
    "unit.steps_one": "{n} optimizer step",
    "unit.steps_other": "{n} optimizer steps",
    "unit.batches_one": "{n} batch",
    "unit.batches_other": "{n} batches",
    "word.list": "{first}, {rest}",
    "word.and": "{first} and {rest}",
    "word.sentences": "{first} {rest}",
    "word.join": "{first}{rest}",
    # -- a regression's metric beside its R², and the target of a multitask run's scores
    "value.versus": "; {metric} {a} vs {b}",
    "value.one": " ({metric} {a})",
    "note.main_target": " The accuracies are those of the main target, {target}.",
    "note.main_target.regression": " The R² values are those of the main target, {target}.",
    # -- which training accuracy a sentence cites (see trainlab.engine.diagnose.facts)
    "acc.final": " (final weights)",
    "acc.running": " (running, during the epoch)",
    # -- diverged
    "diverged.non_finite_loss": (
        "Training loss became {value} at epoch {epoch} (it was {was} at epoch {was_epoch}): "
        "training diverged."
    ),
    "diverged.non_finite_loss.at_once": (
        "Training loss was {value} from epoch {epoch}: training diverged at once."
    ),
    "diverged.loss_blowup.above_start": (
        "Training loss was lowest at epoch {best_epoch} ({best}) and climbed to {final} by "
        "epoch {final_epoch}, above where it started ({first}): training diverged from epoch "
        "{onset}."
    ),
    "diverged.loss_blowup.lost_progress": (
        "Training loss was lowest at epoch {best_epoch} ({best}) and climbed to {final} by "
        "epoch {final_epoch}, losing most of the progress from {first}: training diverged from "
        "epoch {onset}."
    ),
    "rule.diverged.non_finite_loss": "the training loss is NaN or infinite",
    "rule.diverged.above_start": "final training loss > {factor}× the first epoch's",
    "rule.diverged.lost_progress": (
        "final training loss > {factor}× its best and lost more than {lost:.0%} of the progress"
    ),
    # -- unstable
    "unstable.oscillation": (
        "Training loss changed direction {swings:time|times} in {epochs:epoch|epochs} with jumps "
        "of more "
        "than {jump:.0%} (largest rise: +{rise:.0%} at epoch {rise_epoch}, from {before} to "
        "{after}): training is unstable from epoch {onset}."
    ),
    "rule.unstable.oscillation": (
        "{swings} direction changes between epoch-to-epoch changes larger than {jump:.0%} "
        "(at least {min_swings} and {fraction:.0%} of {places} needed)"
    ),
    "unstable.degraded.both": (
        "Training accuracy (running, during the epoch) and validation accuracy peaked at "
        "{best_train} and {best_val} but ended at {final_train} and {final_val}: training "
        "became unstable after epoch {epoch}."
    ),
    "unstable.degraded.train": (
        "Training accuracy (running, during the epoch) peaked at {best_train} but ended at "
        "{final_train}: training became unstable after epoch {epoch}."
    ),
    "rule.unstable.degraded": (
        "running training accuracy (and validation accuracy) ended more than {degraded} below "
        "its best"
    ),
    "unstable.degraded.both.regression": (
        "Training R² (running, during the epoch) and validation R² peaked at {best_train} and "
        "{best_val} but ended at {final_train} and {final_val}: training became unstable after "
        "epoch {epoch}."
    ),
    "unstable.degraded.train.regression": (
        "Training R² (running, during the epoch) peaked at {best_train} but ended at "
        "{final_train}: training became unstable after epoch {epoch}."
    ),
    "rule.unstable.degraded.regression": (
        "running training R² (and validation R²) ended more than {degraded} below its best"
    ),
    # -- overfitting
    "overfitting.val_loss_rising": (
        "Validation loss was lowest at epoch {epoch} ({best}) and rose over "
        "{after:the next epoch|the next # epochs} to {final} (+{gl:.0%}) while training loss kept "
        "falling ({train_best} → "
        "{train_final}): the model is overfitting from epoch {epoch}."
    ),
    "rule.overfitting.val_loss_rising": (
        "generalization loss GL = {gl:.1%} > {min_gl:.0%} (Prechelt 1998) {after:epoch|epochs} "
        "past "
        "the minimum (patience {patience}); {k:the last epoch averages|the last # epochs average} "
        "{rise} above the "
        "minimum, more than {z:g}× the epoch-to-epoch noise ({noise}); training loss falling"
    ),
    "overfitting.val_loss_rising.regression": (
        "Validation loss was lowest at epoch {epoch} ({best}; validation {metric} {best_value}) "
        "and rose over {after:the next epoch|the next # epochs} to {final} (+{gl:.0%}; "
        "validation {metric} {final_value}) while training loss kept falling ({train_best} → "
        "{train_final}; training {metric} {train_best_value} → {train_final_value}): the model "
        "is overfitting from epoch {epoch}."
    ),
    "overfitting.accuracy_gap.over_last": (
        "Training accuracy (running, during the epoch) was {gap} above validation accuracy over "
        "{k:the last epoch|the last # epochs} ({train} vs {val} at the end), more than the "
        "{threshold}-point "
        "threshold and up from {first_gap} at epoch {first_epoch}: the model is overfitting "
        "from epoch {epoch}."
    ),
    "overfitting.accuracy_gap.at_last": (
        "Training accuracy (running, during the epoch) was {gap} above validation accuracy at "
        "the last epoch ({train} vs {val} at the end), more than the {threshold}-point "
        "threshold and up from {first_gap} at epoch {first_epoch}: the model is overfitting "
        "from epoch {epoch}."
    ),
    "rule.overfitting.accuracy_gap": (
        "running training − validation accuracy gap averaged over {k:the last epoch|the last # "
        "epochs}, {gap}, "
        "> gap_threshold {threshold} and larger than at epoch {first_epoch}"
    ),
    "overfitting.accuracy_gap.final": (
        "Training accuracy (final weights) is {gap} above validation accuracy ({train} vs "
        "{val}), more than the {threshold}-point threshold: the model is overfitting from epoch "
        "{epoch}."
    ),
    "rule.overfitting.accuracy_gap.final": (
        "training accuracy (final weights) − validation accuracy, {gap}, > gap_threshold "
        "{threshold} + {z:g}× the validation accuracy's standard error ({se})"
    ),
    "overfitting.accuracy_gap.over_last.regression": (
        "Training R² (running, during the epoch) was {gap} above validation R² over "
        "{k:the last epoch|the last # epochs} ({train} vs {val} at the end{values}), more than "
        "the {threshold} threshold and up from {first_gap} at epoch {first_epoch}: the model is "
        "overfitting from epoch {epoch}."
    ),
    "overfitting.accuracy_gap.at_last.regression": (
        "Training R² (running, during the epoch) was {gap} above validation R² at the last "
        "epoch ({train} vs {val} at the end{values}), more than the {threshold} threshold and up "
        "from {first_gap} at epoch {first_epoch}: the model is overfitting from epoch {epoch}."
    ),
    "rule.overfitting.accuracy_gap.regression": (
        "running training − validation R² gap averaged over {k:the last epoch|the last # "
        "epochs}, {gap}, > gap_threshold {threshold} and larger than at epoch {first_epoch}"
    ),
    "overfitting.accuracy_gap.final.regression": (
        "Training R² (final weights) is {gap} above validation R² ({train} vs {val}{values}), "
        "more than the {threshold} threshold: the model is overfitting from epoch {epoch}."
    ),
    "rule.overfitting.accuracy_gap.final.regression": (
        "training R² (final weights) − validation R², {gap}, > gap_threshold {threshold} + "
        "{z:g}× the validation R²'s standard error, (1 − R²)·√(2/n) ({se})"
    ),
    # -- underfitting
    "underfitting.too_short": (
        "Only one epoch was recorded (training loss {loss}): too few to see a trend, so train "
        "for more epochs before judging the fit.{note}"
    ),
    "underfitting.too_short.with_accuracy": (
        "Only one epoch was recorded (training loss {loss}, training accuracy (running, during "
        "the epoch) {acc}): too few to see a trend, so train for more epochs before judging the "
        "fit.{note}"
    ),
    "underfitting.too_short.with_final": (
        "Only one epoch was recorded (training loss {loss}; training accuracy {acc} with the "
        "final weights, {running} running during the epoch): too few to see a trend, so train "
        "for more epochs before judging the fit.{note}"
    ),
    "rule.underfitting.too_short": "a single epoch",
    "underfitting.too_short.with_accuracy.regression": (
        "Only one epoch was recorded (training loss {loss}, training R² (running, during the "
        "epoch) {acc}): too few to see a trend, so train for more epochs before judging the "
        "fit.{note}"
    ),
    "underfitting.too_short.with_final.regression": (
        "Only one epoch was recorded (training loss {loss}; training R² {acc} with the final "
        "weights, {running} running during the epoch): too few to see a trend, so train for "
        "more epochs before judging the fit.{note}"
    ),
    "underfitting.not_learning": (
        "Training loss barely moved in {epochs:epoch|epochs} ({first} → {final}, {change:+.0%}): "
        "the model is not learning.{note}"
    ),
    "underfitting.not_learning.with_accuracy": (
        "Training loss barely moved in {epochs:epoch|epochs} ({first} → {final}, {change:+.0%}) "
        "and "
        "training accuracy{kind} is only {acc}: the model is not learning.{note}"
    ),
    "rule.underfitting.not_learning": "training loss fell by less than {fall:.0%}",
    "underfitting.not_learning.with_accuracy.regression": (
        "Training loss barely moved in {epochs:epoch|epochs} ({first} → {final}, {change:+.0%}) "
        "and training R²{kind} is only {acc}: the model is not learning.{note}"
    ),
    "underfitting.low_train_acc": (
        "Training accuracy{kind} ends at only {acc}{validation}{improving}: the model cannot fit "
        "even the data it trains on, so it is underfitting.{note}"
    ),
    "underfitting.low_train_acc.validation": " (validation {acc})",
    "underfitting.low_train_acc.improving": " and was still improving at the end",
    "rule.underfitting.low_train_acc": "training accuracy{kind} below {acc}",
    "underfitting.low_train_acc.regression": (
        "Training R²{kind} ends at only {acc}{validation}{improving}: the model cannot fit even "
        "the data it trains on, so it is underfitting.{note}"
    ),
    "rule.underfitting.low_train_acc.regression": "training R²{kind} below {acc}",
    "underfitting.still_improving.validation": (
        "Validation loss was still falling at the final epoch {epoch} ({final}, {rate:.1%} per "
        "epoch over {k:the last epoch|the last # epochs}): the model is still improving, so train "
        "longer.{note}"
    ),
    "underfitting.still_improving.training": (
        "Training loss was still falling at the final epoch {epoch} ({final}, {rate:.1%} per "
        "epoch over {k:the last epoch|the last # epochs}): the model is still improving, so train "
        "longer.{note}"
    ),
    "rule.underfitting.still_improving.validation": (
        "validation loss lowest at the final epoch and falling by at least {min_rate:.0%} per "
        "epoch over {k:the last epoch|the last # epochs}"
    ),
    "rule.underfitting.still_improving.training": (
        "training loss lowest at the final epoch and falling by at least {min_rate:.0%} per "
        "epoch over {k:the last epoch|the last # epochs}"
    ),
    "underfitting.still_improving.validation.regression": (
        "Validation loss was still falling at the final epoch {epoch} ({final}, {rate:.1%} per "
        "epoch over {k:the last epoch|the last # epochs}; validation {metric} {value}): the "
        "model is still improving, so train longer.{note}"
    ),
    "underfitting.still_improving.training.regression": (
        "Training loss was still falling at the final epoch {epoch} ({final}, {rate:.1%} per "
        "epoch over {k:the last epoch|the last # epochs}; training {metric} {value}): the model "
        "is still improving, so train longer.{note}"
    ),
    # -- good fit: one or two clauses, then a verdict
    "good_fit.one": "{first}: a good fit.",
    "good_fit.two": "{first}, and {second}: a good fit.",
    "good_fit.val_lowest": "Validation loss was lowest at epoch {epoch} ({loss})",
    "good_fit.train_fell": "Training loss fell from {first} to {final}",
    "good_fit.gap": (
        "training accuracy{kind} and validation accuracy end {gap} apart ({train} vs {val}), "
        "within the {threshold}-point threshold"
    ),
    "good_fit.gap.noise": (
        "training accuracy (final weights) ends {gap} above validation accuracy ({train} vs "
        "{val}), over the {threshold}-point threshold but within the sampling noise of the "
        "validation split (standard error {se})"
    ),
    "good_fit.gap.val_higher": (
        "validation accuracy ends {gap} above training accuracy{kind} ({val} vs {train})"
    ),
    "good_fit.train_acc": "training accuracy{kind} reached {acc}",
    "good_fit.val_lowest.regression": (
        "Validation loss was lowest at epoch {epoch} ({loss}; validation {metric} {value})"
    ),
    "good_fit.train_fell.regression": (
        "Training loss fell from {first} to {final} (training {metric} {first_value} → "
        "{final_value})"
    ),
    "good_fit.gap.regression": (
        "training R²{kind} and validation R² end {gap} apart ({train} vs {val}{values}), within "
        "the {threshold} threshold"
    ),
    "good_fit.gap.noise.regression": (
        "training R² (final weights) ends {gap} above validation R² ({train} vs {val}{values}), "
        "over the {threshold} threshold but within the sampling noise of the validation split "
        "(standard error {se})"
    ),
    "good_fit.gap.val_higher.regression": (
        "validation R² ends {gap} above training R²{kind} ({val} vs {train}{values})"
    ),
    "good_fit.train_acc.regression": "training R²{kind} reached {acc}{value}",
    "good_fit.more": "{message}{more}",
    "good_fit.improving.validation": (
        " The validation loss was still falling at the end ({rate:.1%} per epoch over "
        "{k:the last epoch|the last # epochs}): more epochs may still help."
    ),
    "good_fit.improving.training": (
        " The training loss was still falling at the end ({rate:.1%} per epoch over "
        "{k:the last epoch|the last # epochs}): more epochs may still help."
    ),
    "rule.good_fit": "no other rule matched",
    # -- budget warnings (trainlab.engine.diagnose.budget)
    "budget.few_steps": (
        "This run took only {steps} ({epochs} × {batches} of {batch_size} examples): too few "
        "to judge the recipe, which needs at least {min_steps}."
    ),
    "budget.chance": (
        "The final weights do no better than chance: {acc} at best, against {chance} for "
        "always predicting the most frequent of the {classes} classes."
    ),
    "budget.chance.regression": (
        "The final weights do no better than always predicting the mean of the training "
        "targets: R² {r2} at best, where the mean scores 0."
    ),
    "budget.change.steps": (
        "Raise `train.epochs` from {epochs} to {epochs_to}, or lower `train.batch_size` from "
        "{batch_size} to {batch_to}."
    ),
    "budget.change.chance": (
        "Raise `train.epochs` from {epochs} to {epochs_to}, lower `train.batch_size` from "
        "{batch_size} to {batch_to}, or raise `optimizer.lr` from {lr} to {lr_to}."
    ),
    "budget.change.generic": (
        "Train for more epochs (`train.epochs`), with smaller batches (`train.batch_size`) or "
        "a higher learning rate (`optimizer.lr`)."
    ),
    # -- layer-probe findings: "key phrase: details" (reports group them by the key phrase)
    "probe.detail.activations": (
        "the activation std of the last hidden layer ({last}, {b:.3g}) is {ratio:.3g}× that of "
        "the first ({first}, {a:.3g})"
    ),
    "probe.activations_vanish": "activations vanish with depth: {detail}",
    "probe.activations_explode": "activations explode with depth: {detail}",
    "probe.units_saturate": (
        "units saturate: more than {fraction:.0%} of the activations are in the flat tails in "
        "{count} of {hidden} hidden layers (worst {worst}, {value:.0%})"
    ),
    "probe.dead_units": (
        "dead units: more than {fraction:.0%} of the units never activate in {count} of "
        "{hidden} hidden layers (worst {worst}, {value:.0%})"
    ),
    "probe.detail.gradients": (
        "the weight gradient norm of the first layer ({first}, {g0:.3g}) is {ratio:.3g}× that "
        "of the last hidden layer ({last}, {g1:.3g})"
    ),
    "probe.gradients_vanish": "gradients vanish toward the input: {detail}",
    "probe.gradients_explode": "gradients explode toward the input: {detail}",
    # -- remedies: each names the recipe key to change, in backticks
    "remedy.lower_lr.tenfold": "A lower learning rate (`optimizer.lr`, e.g. ten times smaller)",
    "remedy.lower_lr.threefold": (
        "A lower learning rate (`optimizer.lr`, e.g. three times smaller)"
    ),
    "remedy.higher_lr": "A higher learning rate (`optimizer.lr`)",
    "remedy.clip_grad": "Gradient clipping (`train.clip_grad_norm`, e.g. 1.0)",
    "remedy.normalize_inputs": "Normalized inputs (`preprocess.normalize: standard`)",
    "remedy.init": "Glorot or He initialization (`init.scheme`, e.g. he-normal)",
    "remedy.batch_norm": "Batch normalization (`model.batch_norm: true`)",
    "remedy.more_data": "More training data, or data augmentation",
    "remedy.l2": "An L2 weight penalty (`regularization.l2`, e.g. 1e-4)",
    "remedy.l1": "An L1 weight penalty (`regularization.l1`, e.g. 1e-5)",
    "remedy.input_noise": "Noise on the inputs (`regularization.input_noise`, e.g. 0.1)",
    "remedy.output_noise": (
        "Noise on the outputs: label smoothing (`regularization.label_smoothing`, e.g. 0.1)"
        " or label flipping (`regularization.label_flip`)"
    ),
    "remedy.weight_noise": "Noise on the parameters (`regularization.weight_noise`, e.g. 0.01)",
    "remedy.ensemble": "An ensemble of models (`ensemble.members`, e.g. 5)",
    "remedy.early_stopping": (
        "Early stopping at the best validation epoch (`early_stopping.enabled: true`)"
    ),
    "remedy.multitask": "Multitask learning: share the network's layers with a related task",
    "remedy.dropout": "Dropout (`model.dropout`, e.g. 0.5)",
    "remedy.smaller_model": "A smaller model (`model.widths`)",
    "remedy.bigger_model": "A bigger model: wider or more layers (`model.widths`)",
    "remedy.longer": "Longer training (`train.epochs`)",
    "remedy.weaker_regularization": (
        "Weaker regularization (lower `regularization.l2`, `regularization.l1`, `model.dropout`"
        " and the noise levels)"
    ),
    # -- remedies that know the recipe (trainlab.engine.diagnose.remedies): what, to what
    "remedy.set": "{what}: set `{key}` to {to} (now {now})",
    "remedy.raise": "{what}: raise `{key}` from {now} to {to}",
    "remedy.lower": "{what}: lower `{key}` from {now} to {to}",
    "remedy.more_data.augmented": (
        "More training data (the recipe already augments its data: {names})"
    ),
    "remedy.weaker_regularization.lower": "Weaker regularization: lower {changes}",
    "remedy.item.from_to": "`{key}` from {now} to {to}",
    "name.lower_lr": "A lower learning rate",
    "name.higher_lr": "A higher learning rate",
    "name.clip_grad": "Gradient clipping",
    "name.normalize_inputs": "Normalized inputs",
    "name.init": "Glorot or He initialization",
    "name.batch_norm": "Batch normalization",
    "name.l2": "An L2 weight penalty",
    "name.weight_decay": "A stronger weight decay (an L2 penalty)",
    "name.l1": "An L1 weight penalty",
    "name.input_noise": "Noise on the inputs",
    "name.label_smoothing": "Label smoothing (noise on the outputs)",
    "name.label_flip": "Label flipping (noise on the outputs)",
    "name.weight_noise": "Noise on the parameters",
    "name.ensemble": "An ensemble of models",
    "name.early_stopping": "Early stopping at the best validation epoch",
    "name.dropout": "Dropout",
    "name.smaller_model": "A smaller model",
    "name.bigger_model": "A bigger model",
    "name.longer": "Longer training",
    "word.off": "off",
    "word.true": "true",
    "word.false": "false",
    "word.init_normal": "normal, std {std}",
}
