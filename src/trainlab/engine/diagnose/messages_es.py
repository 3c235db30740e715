"""The diagnosis in Spanish: the message ids and fields of :mod:`.messages`, in other words.

The words are the lecture's (Montalvo Lezama, *Estrategias de entrenamiento*,
UNAM 2021): *sobreajuste*, *subajuste*, *error de generalización*, *paro
temprano*, *deserción (dropout)*, *normalización por lotes*, *inicialización
de pesos*, *acrecentamiento de datos*, *penalización con norma ℓ2*, *adición de
ruido*, *ensamble*, *aprendizaje multitarea*. Numbers keep the decimal point,
as the lecture writes them (``N(0, 0.01)``). A test checks that both tables
have exactly the same ids and, per id, the same ``{placeholders}``.

Example:
    >>> from trainlab.engine.diagnose.messages_es import MESSAGES_ES, VERDICT_NAMES_ES
    >>> VERDICT_NAMES_ES["overfitting"], MESSAGES_ES["remedy.early_stopping"][:13]
    ('sobreajuste', 'Paro temprano')
"""

from __future__ import annotations

#: the name shown for each verdict
VERDICT_NAMES_ES: dict[str, str] = {
    "diverged": "divergencia",
    "unstable": "inestable",
    "overfitting": "sobreajuste",
    "underfitting": "subajuste",
    "good fit": "buen ajuste",
}

#: message id → template
MESSAGES_ES: dict[str, str] = {
    # -- words used inside messages
    "unit.points_one": "{n} punto",
    "unit.points_other": "{n} puntos",
    "word.nan": "NaN",
    "word.infinite": "infinita",
    "note.no_validation": (
        " No se registraron datos de validación, así que el sobreajuste no puede juzgarse."
    ),
    "unit.epochs_one": "{n} época",
    "unit.epochs_other": "{n} épocas",
    "unit.steps_one": "{n} paso de optimización",
    "unit.steps_other": "{n} pasos de optimización",
    "unit.batches_one": "{n} lote",
    "unit.batches_other": "{n} lotes",
    "word.list": "{first}, {rest}",
    "word.and": "{first} y {rest}",
    "word.sentences": "{first} {rest}",
    "word.join": "{first}{rest}",
    # -- la métrica de una regresión junto a su R², y el objetivo de las medidas multitarea
    "value.versus": "; {metric} {a} contra {b}",
    "value.one": " ({metric} {a})",
    "note.main_target": " Las exactitudes son las del objetivo principal, {target}.",
    "note.main_target.regression": (" Los valores de R² son los del objetivo principal, {target}."),
    # -- qué exactitud de entrenamiento cita una oración (ver trainlab.engine.diagnose.facts)
    "acc.final": " (pesos finales)",
    "acc.running": " (en curso, durante la época)",
    # -- diverged
    "diverged.non_finite_loss": (
        "La pérdida de entrenamiento se volvió {value} en la época {epoch} (era {was} en la "
        "época {was_epoch}): el entrenamiento divergió."
    ),
    "diverged.non_finite_loss.at_once": (
        "La pérdida de entrenamiento fue {value} desde la época {epoch}: el entrenamiento "
        "divergió de inmediato."
    ),
    "diverged.loss_blowup.above_start": (
        "La pérdida de entrenamiento fue mínima en la época {best_epoch} ({best}) y subió a "
        "{final} para la época {final_epoch}, por encima de donde empezó ({first}): el "
        "entrenamiento divergió desde la época {onset}."
    ),
    "diverged.loss_blowup.lost_progress": (
        "La pérdida de entrenamiento fue mínima en la época {best_epoch} ({best}) y subió a "
        "{final} para la época {final_epoch}, perdiendo casi todo el avance desde {first}: el "
        "entrenamiento divergió desde la época {onset}."
    ),
    "rule.diverged.non_finite_loss": "la pérdida de entrenamiento es NaN o infinita",
    "rule.diverged.above_start": (
        "pérdida de entrenamiento final > {factor}× la de la primera época"
    ),
    "rule.diverged.lost_progress": (
        "pérdida de entrenamiento final > {factor}× su mínimo y más del {lost:.0%} del avance "
        "perdido"
    ),
    # -- unstable
    "unstable.oscillation": (
        "La pérdida de entrenamiento cambió de dirección {swings:vez|veces} en "
        "{epochs:época|épocas} con "
        "saltos de más del {jump:.0%} (mayor subida: +{rise:.0%} en la época {rise_epoch}, de "
        "{before} a {after}): el entrenamiento es inestable desde la época {onset}."
    ),
    "rule.unstable.oscillation": (
        "{swings} cambios de dirección entre cambios de época a época mayores que {jump:.0%} "
        "(se necesitan al menos {min_swings} y el {fraction:.0%} de {places})"
    ),
    "unstable.degraded.both": (
        "La exactitud de entrenamiento (en curso, durante la época) y la de validación llegaron "
        "a {best_train} y {best_val} pero terminaron en {final_train} y {final_val}: el "
        "entrenamiento se volvió inestable después de la época {epoch}."
    ),
    "unstable.degraded.train": (
        "La exactitud de entrenamiento (en curso, durante la época) llegó a {best_train} pero "
        "terminó en {final_train}: el entrenamiento se volvió inestable después de la época "
        "{epoch}."
    ),
    "rule.unstable.degraded": (
        "la exactitud de entrenamiento en curso (y la de validación) terminó más de {degraded} "
        "por debajo de su máximo"
    ),
    "unstable.degraded.both.regression": (
        "El R² de entrenamiento (en curso, durante la época) y el de validación llegaron a "
        "{best_train} y {best_val} pero terminaron en {final_train} y {final_val}: el "
        "entrenamiento se volvió inestable después de la época {epoch}."
    ),
    "unstable.degraded.train.regression": (
        "El R² de entrenamiento (en curso, durante la época) llegó a {best_train} pero terminó "
        "en {final_train}: el entrenamiento se volvió inestable después de la época {epoch}."
    ),
    "rule.unstable.degraded.regression": (
        "el R² de entrenamiento en curso (y el de validación) terminó más de {degraded} por "
        "debajo de su máximo"
    ),
    # -- overfitting
    "overfitting.val_loss_rising": (
        "La pérdida de validación fue mínima en la época {epoch} ({best}) y subió en "
        "{after:la época siguiente|las siguientes # épocas} hasta {final} (+{gl:.0%}) mientras la "
        "pérdida de "
        "entrenamiento seguía bajando ({train_best} → {train_final}): el modelo presenta "
        "sobreajuste desde la época {epoch}."
    ),
    "rule.overfitting.val_loss_rising": (
        "pérdida de generalización GL = {gl:.1%} > {min_gl:.0%} (Prechelt 1998) "
        "{after:época|épocas} "
        "después del mínimo (paciencia {patience}); {k:la última época promedia|las últimas # "
        "épocas promedian} "
        "{rise} por "
        "encima del mínimo, más de {z:g}× el ruido de época a época ({noise}); la pérdida de "
        "entrenamiento baja"
    ),
    "overfitting.val_loss_rising.regression": (
        "La pérdida de validación fue mínima en la época {epoch} ({best}; {metric} de "
        "validación {best_value}) y subió en {after:la época siguiente|las siguientes # épocas} "
        "hasta {final} (+{gl:.0%}; {metric} de validación {final_value}) mientras la pérdida de "
        "entrenamiento seguía bajando ({train_best} → {train_final}; {metric} de entrenamiento "
        "{train_best_value} → {train_final_value}): el modelo presenta sobreajuste desde la "
        "época {epoch}."
    ),
    "overfitting.accuracy_gap.over_last": (
        "La exactitud de entrenamiento (en curso, durante la época) estuvo {gap} por encima de "
        "la de validación en {k:la última época|las últimas # épocas} ({train} contra {val} al "
        "final), más que "
        "el umbral de {threshold} puntos y más que los {first_gap} de la época {first_epoch}: "
        "el modelo presenta sobreajuste desde la época {epoch}."
    ),
    "overfitting.accuracy_gap.at_last": (
        "La exactitud de entrenamiento (en curso, durante la época) estuvo {gap} por encima de "
        "la de validación en la última época ({train} contra {val} al final), más que el "
        "umbral de {threshold} puntos y más que los {first_gap} de la época {first_epoch}: el "
        "modelo presenta sobreajuste desde la época {epoch}."
    ),
    "rule.overfitting.accuracy_gap": (
        "brecha entre la exactitud de entrenamiento en curso y la de validación promediada en "
        "{k:la última época|las últimas # épocas}, {gap}, > gap_threshold {threshold} y mayor que "
        "en la época "
        "{first_epoch}"
    ),
    "overfitting.accuracy_gap.final": (
        "La exactitud de entrenamiento (pesos finales) está {gap} por encima de la de "
        "validación ({train} contra {val}), más que el umbral de {threshold} puntos: el modelo "
        "presenta sobreajuste desde la época {epoch}."
    ),
    "rule.overfitting.accuracy_gap.final": (
        "exactitud de entrenamiento (pesos finales) − exactitud de validación, {gap}, > "
        "gap_threshold {threshold} + {z:g}× el error estándar de la exactitud de validación "
        "({se})"
    ),
    "overfitting.accuracy_gap.over_last.regression": (
        "El R² de entrenamiento (en curso, durante la época) estuvo {gap} por encima del de "
        "validación en {k:la última época|las últimas # épocas} ({train} contra {val} al "
        "final{values}), más que el umbral de {threshold} y más que la brecha de {first_gap} de "
        "la época {first_epoch}: el modelo presenta sobreajuste desde la época {epoch}."
    ),
    "overfitting.accuracy_gap.at_last.regression": (
        "El R² de entrenamiento (en curso, durante la época) estuvo {gap} por encima del de "
        "validación en la última época ({train} contra {val} al final{values}), más que el "
        "umbral de {threshold} y más que la brecha de {first_gap} de la época {first_epoch}: el "
        "modelo presenta sobreajuste desde la época {epoch}."
    ),
    "rule.overfitting.accuracy_gap.regression": (
        "brecha entre el R² de entrenamiento en curso y el de validación promediada en "
        "{k:la última época|las últimas # épocas}, {gap}, > gap_threshold {threshold} y mayor "
        "que en la época {first_epoch}"
    ),
    "overfitting.accuracy_gap.final.regression": (
        "El R² de entrenamiento (pesos finales) está {gap} por encima del de validación "
        "({train} contra {val}{values}), más que el umbral de {threshold}: el modelo presenta "
        "sobreajuste desde la época {epoch}."
    ),
    "rule.overfitting.accuracy_gap.final.regression": (
        "R² de entrenamiento (pesos finales) − R² de validación, {gap}, > gap_threshold "
        "{threshold} + {z:g}× el error estándar del R² de validación, (1 − R²)·√(2/n) ({se})"
    ),
    # -- underfitting
    "underfitting.too_short": (
        "Solo se registró una época (pérdida de entrenamiento {loss}): muy pocas para ver una "
        "tendencia; entrena más épocas antes de juzgar el ajuste.{note}"
    ),
    "underfitting.too_short.with_accuracy": (
        "Solo se registró una época (pérdida de entrenamiento {loss}, exactitud de "
        "entrenamiento (en curso, durante la época) {acc}): muy pocas para ver una tendencia; "
        "entrena más épocas antes de juzgar el ajuste.{note}"
    ),
    "underfitting.too_short.with_final": (
        "Solo se registró una época (pérdida de entrenamiento {loss}; exactitud de "
        "entrenamiento {acc} con los pesos finales, {running} en curso durante la época): muy "
        "pocas para ver una tendencia; entrena más épocas antes de juzgar el ajuste.{note}"
    ),
    "rule.underfitting.too_short": "una sola época",
    "underfitting.too_short.with_accuracy.regression": (
        "Solo se registró una época (pérdida de entrenamiento {loss}, R² de entrenamiento (en "
        "curso, durante la época) {acc}): muy pocas para ver una tendencia; entrena más épocas "
        "antes de juzgar el ajuste.{note}"
    ),
    "underfitting.too_short.with_final.regression": (
        "Solo se registró una época (pérdida de entrenamiento {loss}; R² de entrenamiento "
        "{acc} con los pesos finales, {running} en curso durante la época): muy pocas para ver "
        "una tendencia; entrena más épocas antes de juzgar el ajuste.{note}"
    ),
    "underfitting.not_learning": (
        "La pérdida de entrenamiento apenas se movió en {epochs:época|épocas} ({first} → {final}, "
        "{change:+.0%}): el modelo no está aprendiendo.{note}"
    ),
    "underfitting.not_learning.with_accuracy": (
        "La pérdida de entrenamiento apenas se movió en {epochs:época|épocas} ({first} → {final}, "
        "{change:+.0%}) y la exactitud de entrenamiento{kind} es solo {acc}: el modelo no está "
        "aprendiendo.{note}"
    ),
    "rule.underfitting.not_learning": "la pérdida de entrenamiento bajó menos del {fall:.0%}",
    "underfitting.not_learning.with_accuracy.regression": (
        "La pérdida de entrenamiento apenas se movió en {epochs:época|épocas} ({first} → "
        "{final}, {change:+.0%}) y el R² de entrenamiento{kind} es solo {acc}: el modelo no "
        "está aprendiendo.{note}"
    ),
    "underfitting.low_train_acc": (
        "La exactitud de entrenamiento{kind} termina en solo {acc}{validation}{improving}: el "
        "modelo no logra ajustar ni los datos con los que entrena, así que presenta "
        "subajuste.{note}"
    ),
    "underfitting.low_train_acc.validation": " (validación {acc})",
    "underfitting.low_train_acc.improving": " y seguía mejorando al final",
    "rule.underfitting.low_train_acc": "exactitud de entrenamiento{kind} por debajo de {acc}",
    "underfitting.low_train_acc.regression": (
        "El R² de entrenamiento{kind} termina en solo {acc}{validation}{improving}: el modelo "
        "no logra ajustar ni los datos con los que entrena, así que presenta subajuste.{note}"
    ),
    "rule.underfitting.low_train_acc.regression": ("R² de entrenamiento{kind} por debajo de {acc}"),
    "underfitting.still_improving.validation": (
        "La pérdida de validación seguía bajando en la última época {epoch} ({final}, "
        "{rate:.1%} por época en {k:la última época|las últimas # épocas}): el modelo sigue "
        "mejorando, así que "
        "entrena más tiempo.{note}"
    ),
    "underfitting.still_improving.training": (
        "La pérdida de entrenamiento seguía bajando en la última época {epoch} ({final}, "
        "{rate:.1%} por época en {k:la última época|las últimas # épocas}): el modelo sigue "
        "mejorando, así que "
        "entrena más tiempo.{note}"
    ),
    "rule.underfitting.still_improving.validation": (
        "pérdida de validación mínima en la última época y bajando al menos {min_rate:.0%} por "
        "época en {k:la última época|las últimas # épocas}"
    ),
    "rule.underfitting.still_improving.training": (
        "pérdida de entrenamiento mínima en la última época y bajando al menos {min_rate:.0%} "
        "por época en {k:la última época|las últimas # épocas}"
    ),
    "underfitting.still_improving.validation.regression": (
        "La pérdida de validación seguía bajando en la última época {epoch} ({final}, "
        "{rate:.1%} por época en {k:la última época|las últimas # épocas}; {metric} de "
        "validación {value}): el modelo sigue mejorando, así que entrena más tiempo.{note}"
    ),
    "underfitting.still_improving.training.regression": (
        "La pérdida de entrenamiento seguía bajando en la última época {epoch} ({final}, "
        "{rate:.1%} por época en {k:la última época|las últimas # épocas}; {metric} de "
        "entrenamiento {value}): el modelo sigue mejorando, así que entrena más tiempo.{note}"
    ),
    # -- good fit: one or two clauses, then a verdict
    "good_fit.one": "{first}: un buen ajuste.",
    "good_fit.two": "{first}, y {second}: un buen ajuste.",
    "good_fit.val_lowest": "La pérdida de validación fue mínima en la época {epoch} ({loss})",
    "good_fit.train_fell": "La pérdida de entrenamiento bajó de {first} a {final}",
    "good_fit.gap": (
        "la exactitud de entrenamiento{kind} y la de validación terminan a {gap} de distancia "
        "({train} contra {val}), dentro del umbral de {threshold} puntos"
    ),
    "good_fit.gap.noise": (
        "la exactitud de entrenamiento (pesos finales) termina {gap} por encima de la de "
        "validación ({train} contra {val}), sobre el umbral de {threshold} puntos pero dentro "
        "del ruido de muestreo del conjunto de validación (error estándar {se})"
    ),
    "good_fit.gap.val_higher": (
        "la exactitud de validación termina {gap} por encima de la de entrenamiento{kind} "
        "({val} contra {train})"
    ),
    "good_fit.train_acc": "la exactitud de entrenamiento{kind} llegó a {acc}",
    "good_fit.val_lowest.regression": (
        "La pérdida de validación fue mínima en la época {epoch} ({loss}; {metric} de "
        "validación {value})"
    ),
    "good_fit.train_fell.regression": (
        "La pérdida de entrenamiento bajó de {first} a {final} ({metric} de entrenamiento "
        "{first_value} → {final_value})"
    ),
    "good_fit.gap.regression": (
        "el R² de entrenamiento{kind} y el de validación terminan a {gap} de distancia "
        "({train} contra {val}{values}), dentro del umbral de {threshold}"
    ),
    "good_fit.gap.noise.regression": (
        "el R² de entrenamiento (pesos finales) termina {gap} por encima del de validación "
        "({train} contra {val}{values}), sobre el umbral de {threshold} pero dentro del ruido "
        "de muestreo del conjunto de validación (error estándar {se})"
    ),
    "good_fit.gap.val_higher.regression": (
        "el R² de validación termina {gap} por encima del de entrenamiento{kind} ({val} contra "
        "{train}{values})"
    ),
    "good_fit.train_acc.regression": "el R² de entrenamiento{kind} llegó a {acc}{value}",
    "good_fit.more": "{message}{more}",
    "good_fit.improving.validation": (
        " La pérdida de validación seguía bajando al final ({rate:.1%} por época en "
        "{k:la última época|las últimas # épocas}): más épocas aún podrían ayudar."
    ),
    "good_fit.improving.training": (
        " La pérdida de entrenamiento seguía bajando al final ({rate:.1%} por época en "
        "{k:la última época|las últimas # épocas}): más épocas aún podrían ayudar."
    ),
    "rule.good_fit": "ninguna otra regla se cumplió",
    # -- avisos de presupuesto (trainlab.engine.diagnose.budget)
    "budget.few_steps": (
        "Esta corrida dio solo {steps} ({epochs} × {batches} de {batch_size} ejemplos): muy "
        "pocos para juzgar la receta, que necesita al menos {min_steps}."
    ),
    "budget.chance": (
        "Los pesos finales no superan el azar: {acc} como máximo, contra {chance} de predecir "
        "siempre la más frecuente de las {classes} clases."
    ),
    "budget.chance.regression": (
        "Los pesos finales no superan a predecir siempre la media de los objetivos de "
        "entrenamiento: R² de {r2} como máximo, donde la media obtiene 0."
    ),
    "budget.change.steps": (
        "Sube `train.epochs` de {epochs} a {epochs_to}, o baja `train.batch_size` de "
        "{batch_size} a {batch_to}."
    ),
    "budget.change.chance": (
        "Sube `train.epochs` de {epochs} a {epochs_to}, baja `train.batch_size` de "
        "{batch_size} a {batch_to}, o sube `optimizer.lr` de {lr} a {lr_to}."
    ),
    "budget.change.generic": (
        "Entrena más épocas (`train.epochs`), con lotes más pequeños (`train.batch_size`) o "
        "una tasa de aprendizaje mayor (`optimizer.lr`)."
    ),
    # -- layer-probe findings: "key phrase: details" (reports group them by the key phrase)
    "probe.detail.activations": (
        "la desviación estándar de las activaciones de la última capa oculta ({last}, {b:.3g}) "
        "es {ratio:.3g}× la de la primera ({first}, {a:.3g})"
    ),
    "probe.activations_vanish": "las activaciones se desvanecen con la profundidad: {detail}",
    "probe.activations_explode": "las activaciones explotan con la profundidad: {detail}",
    "probe.units_saturate": (
        "unidades saturadas: más del {fraction:.0%} de las activaciones están en las colas "
        "planas en {count} de {hidden} capas ocultas (la peor {worst}, {value:.0%})"
    ),
    "probe.dead_units": (
        "unidades muertas: más del {fraction:.0%} de las unidades nunca se activan en {count} "
        "de {hidden} capas ocultas (la peor {worst}, {value:.0%})"
    ),
    "probe.detail.gradients": (
        "la norma del gradiente de los pesos de la primera capa ({first}, {g0:.3g}) es "
        "{ratio:.3g}× la de la última capa oculta ({last}, {g1:.3g})"
    ),
    "probe.gradients_vanish": "los gradientes se desvanecen hacia la entrada: {detail}",
    "probe.gradients_explode": "los gradientes explotan hacia la entrada: {detail}",
    # -- remedies: each names the recipe key to change, in backticks
    "remedy.lower_lr.tenfold": (
        "Una tasa de aprendizaje menor (`optimizer.lr`, p. ej. diez veces menor)"
    ),
    "remedy.lower_lr.threefold": (
        "Una tasa de aprendizaje menor (`optimizer.lr`, p. ej. tres veces menor)"
    ),
    "remedy.higher_lr": "Una tasa de aprendizaje mayor (`optimizer.lr`)",
    "remedy.clip_grad": "Recorte de gradientes (`train.clip_grad_norm`, p. ej. 1.0)",
    "remedy.normalize_inputs": "Entradas normalizadas (`preprocess.normalize: standard`)",
    "remedy.init": ("Inicialización de pesos de Glorot o de He (`init.scheme`, p. ej. he-normal)"),
    "remedy.batch_norm": "Normalización por lotes (`model.batch_norm: true`)",
    "remedy.more_data": "Más datos de entrenamiento, o acrecentamiento de datos",
    "remedy.l2": "Penalización con norma ℓ2 (`regularization.l2`, p. ej. 1e-4)",
    "remedy.l1": "Penalización con norma ℓ1 (`regularization.l1`, p. ej. 1e-5)",
    "remedy.input_noise": (
        "Adición de ruido a las entradas (`regularization.input_noise`, p. ej. 0.1)"
    ),
    "remedy.output_noise": (
        "Adición de ruido a las salidas: suavizado de etiquetas "
        "(`regularization.label_smoothing`, p. ej. 0.1) o volteo de etiquetas "
        "(`regularization.label_flip`)"
    ),
    "remedy.weight_noise": (
        "Adición de ruido a los parámetros (`regularization.weight_noise`, p. ej. 0.01)"
    ),
    "remedy.ensemble": "Un ensamble de modelos (`ensemble.members`, p. ej. 5)",
    "remedy.early_stopping": (
        "Paro temprano en la mejor época de validación (`early_stopping.enabled: true`)"
    ),
    "remedy.multitask": (
        "Aprendizaje multitarea: compartir las capas de la red con una tarea relacionada"
    ),
    "remedy.dropout": "Deserción (dropout) (`model.dropout`, p. ej. 0.5)",
    "remedy.smaller_model": "Un modelo más pequeño (`model.widths`)",
    "remedy.bigger_model": "Un modelo más grande: más ancho o con más capas (`model.widths`)",
    "remedy.longer": "Entrenar más tiempo (`train.epochs`)",
    "remedy.weaker_regularization": (
        "Regularización más débil (menores `regularization.l2`, `regularization.l1`, "
        "`model.dropout` y niveles de ruido)"
    ),
    # -- remedios que conocen la receta: qué cambiar, y a qué
    "remedy.set": "{what}: pon `{key}` en {to} (ahora {now})",
    "remedy.raise": "{what}: sube `{key}` de {now} a {to}",
    "remedy.lower": "{what}: baja `{key}` de {now} a {to}",
    "remedy.more_data.augmented": (
        "Más datos de entrenamiento (la receta ya acrecienta sus datos: {names})"
    ),
    "remedy.weaker_regularization.lower": "Regularización más débil: baja {changes}",
    "remedy.item.from_to": "`{key}` de {now} a {to}",
    "name.lower_lr": "Una tasa de aprendizaje menor",
    "name.higher_lr": "Una tasa de aprendizaje mayor",
    "name.clip_grad": "Recorte de gradientes",
    "name.normalize_inputs": "Entradas normalizadas",
    "name.init": "Inicialización de pesos de Glorot o de He",
    "name.batch_norm": "Normalización por lotes",
    "name.l2": "Penalización con norma ℓ2",
    "name.weight_decay": "Un decaimiento de pesos más fuerte (penalización ℓ2)",
    "name.l1": "Penalización con norma ℓ1",
    "name.input_noise": "Adición de ruido a las entradas",
    "name.label_smoothing": "Suavizado de etiquetas (ruido en las salidas)",
    "name.label_flip": "Volteo de etiquetas (ruido en las salidas)",
    "name.weight_noise": "Adición de ruido a los parámetros",
    "name.ensemble": "Un ensamble de modelos",
    "name.early_stopping": "Paro temprano en la mejor época de validación",
    "name.dropout": "Deserción (dropout)",
    "name.smaller_model": "Un modelo más pequeño",
    "name.bigger_model": "Un modelo más grande",
    "name.longer": "Entrenar más tiempo",
    "word.off": "desactivado",
    "word.true": "true",
    "word.false": "false",
    "word.init_normal": "normal, desviación {std}",
}
