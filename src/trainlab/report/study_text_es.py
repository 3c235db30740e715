"""Every word of the study report in Spanish: the ids of :mod:`trainlab.report.study_text`.

The words are the lecture's (Montalvo Lezama, *Estrategias de entrenamiento*,
UNAM 2021): *sobreajuste*, *error de generalización* (here its measure, the
*brecha de generalización*), *semilla*, *variante*, *línea base*. A test checks
that each table has exactly the ids of its English twin and, per id, the same
``{placeholders}``.

Example:
    >>> from trainlab.report.study_text_es import PAGE_TEXT_ES
    >>> PAGE_TEXT_ES["h_helped"]
    'Qué ayudó'
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

#: metric keys in plain words
METRIC_NAMES_ES: Mapping[str, str] = MappingProxyType(
    {
        "test_acc": "exactitud de prueba",
        "test_loss": "pérdida de prueba",
        "val_acc": "exactitud de validación",
        "val_loss": "pérdida de validación",
        "train_acc": "exactitud de entrenamiento",
        "train_loss": "pérdida de entrenamiento",
        "gap": "brecha de generalización",
        "seconds": "tiempo de entrenamiento",
    }
)

#: the words of any other task metric's name (``<split>_[<task>_]<kind>``) and of its gap
METRIC_WORDS_ES: Mapping[str, str] = MappingProxyType(
    {
        "split.train": "de entrenamiento",
        "split.val": "de validación",
        "split.test": "de prueba",
        "kind.acc": "exactitud",
        "kind.loss": "pérdida",
        "kind.rmse": "RMSE",
        "kind.mae": "MAE",
        "kind.r2": "R²",
        "split_kind": "{kind} {split}",
        "split_task_kind": "{kind} {split} ({task})",
        "task_kind": "{kind} ({task})",
        "gap_higher": "{kind} de entrenamiento − de prueba",
        "gap_lower": "{kind} de prueba − de entrenamiento",
        "lower_is_better": "menor es mejor",
    }
)

#: the study page and its Markdown twin
PAGE_TEXT_ES: Mapping[str, str] = MappingProxyType(
    {
        "kind": "reporte de estudio",
        "study_title": "Estudio: {name}",
        "role_baseline": "línea base",
        "role_reference": "referencia",
        "effect_baseline": "línea base",
        "effect_helps": "ayuda",
        "effect_hurts": "perjudica",
        "effect_no clear effect": "sin efecto claro",
        "effect_diverges": "diverge",
        "effect_no result": "sin resultado",
        "group_helps": "Ayudaron",
        "group_hurts": "Perjudicaron",
        "group_no clear effect": "Sin efecto claro",
        "group_diverges": "Divergieron",
        "group_no result": "Sin resultado: todos los ensayos fallaron con un error",
        "test_t": "prueba t pareada",
        "test_wilcoxon": "prueba de rangos con signo de Wilcoxon",
        "seeds_one": "{k} semilla",
        "seeds_other": "{k} semillas",
        "variants_one": "{k} variante",
        "variants_other": "{k} variantes",
        "comparisons_one": "{k} comparación",
        "comparisons_other": "{k} comparaciones",
        "trials_one": "{k} ensayo",
        "trials_other": "{k} ensayos",
        "errors_one": "{k} error",
        "errors_other": "{k} errores",
        "correction_holm": "Holm",
        "correction_bh": "Benjamini–Hochberg",
        "correction_bonferroni": "Bonferroni",
        "correction_none": "sin corrección",
        "correction_long_holm": "Holm–Bonferroni",
        "correction_long_bh": "Benjamini–Hochberg",
        "correction_long_bonferroni": "Bonferroni",
        "correction_long_none": "sin corrección",
        "guarantee_holm": (
            "la probabilidad de algún efecto “claro” falso entre ellas no pasa de {alpha}"
        ),
        "guarantee_bonferroni": (
            "la probabilidad de algún efecto “claro” falso entre ellas no pasa de {alpha}"
        ),
        "guarantee_bh": (
            "la proporción esperada de efectos “claros” falsos entre los hallados no pasa de "
            "{alpha}"
        ),
        "guarantee_none": "sin cota para los efectos “claros” falsos",
        "unit_points": " puntos",
        "vs_ref": " contra {ref}",
        "p_phrase": "{test} p {rel}",
        "p_equals": "= {p}",
        "p_adjusted": "{raw} sin corregir, {adjusted} tras {correction} sobre {comparisons}",
        "ci_words": "IC 95% de {lo} a {hi}",
        "ref_who": "(la {role}) ",
        "ref_reached": "{who}alcanzó {label} {value}{ci} con {seeds}.",
        "ref_ci": " (IC 95% de {lo} a {hi})",
        "no_trial": "no tiene ningún ensayo terminado{why}: nada que comparar.",
        "no_trial_failed_one": " ({k} falló con un error)",
        "no_trial_failed_other": " ({k} fallaron con un error)",
        "the_baseline": "la línea base",
        "not_compared": (
            "no pudo compararse con {ref}: ninguna semilla terminó en ambas: sin efecto claro."
        ),
        "verb_raised": "subió",
        "verb_lowered": "bajó",
        "verdict_helps": "ayuda",
        "verdict_hurts": "perjudica",
        "effect_clear": "{verb} {label} en {amount}{unit}{vs} ({stats}): {verdict}.",
        "effect_unclear": (
            "cambió {label} en {amount}{unit}{vs} ({stats}): sin efecto claro con "
            "{seeds}{detectable}."
        ),
        "effect_corrected": (
            "cambió {label} en {amount}{unit}{vs} ({stats}): claro sin corregir, pero sin "
            "efecto claro tras la corrección por {comparisons}{detectable}."
        ),
        "detectable_clause": (
            "; estas semillas podían detectar un efecto de {amount}{unit} o más (potencia de 80%)"
        ),
        "diverged_in": "divergió en {k} de {seeds}{at}",
        "diverged_at_one": " (en la época {epochs})",
        "diverged_at_other": " (en las épocas {epochs})",
        "diverges_sentence": (
            "{diverged}: diverge, queda por debajo de toda variante que entrenó{finished}."
        ),
        "diverges_finished_one": "; la semilla que terminó alcanzó {label} {value}",
        "diverges_finished_other": (
            "; las {k} semillas que terminaron alcanzaron {label} {value} en promedio"
        ),
        "ref_diverged": " También {diverged}.",
        "effect_no_ci": (
            "cambió {label} en {amount}{unit}{vs} con {seeds}, muy pocas para un intervalo de "
            "confianza: sin efecto claro."
        ),
        "verb_shrank": "redujo",
        "verb_widened": "amplió",
        "gap_clear": "{verb} la brecha de generalización en {amount}{unit}{vs} ({stats}).",
        "gap_unclear": (
            "cambió la brecha de generalización en {amount}{unit}{vs} ({stats}): sin cambio "
            "claro con {seeds}."
        ),
        "gap_no_ci": (
            "cambió la brecha de generalización en {amount}{unit}{vs} con {seeds}, muy pocas "
            "para un intervalo de confianza: sin cambio claro."
        ),
        "note_few": "Con {seeds} por variante, solo pueden mostrarse efectos grandes. ",
        "note_many": "Con {seeds} por variante, pueden pasarse por alto efectos pequeños. ",
        "note_none": (
            "Ninguna variante tiene semillas pareadas con {ref}, así que no puede mostrarse "
            "ningún efecto. "
        ),
        "note_its_reference": "su referencia",
        "note_their_reference": "sus referencias",
        "note_width": (
            "Aquí una diferencia tenía que superar unos ±{width}{unit} (la semiamplitud típica "
            "de los intervalos de 95%) para distinguirse del ruido entre semillas. "
        ),
        "note_meaning": (
            "“Sin efecto claro” significa “no mostrado con estas semillas”, no “mostrado que es "
            "cero”; más semillas estrechan los intervalos, más o menos como 1/√n."
        ),
        "note_chance": (
            " Se compararon {m} variantes con {ref} sin corrección: con 95% de confianza, unas "
            "{expected} de ellas pueden mostrar un efecto claro solo por azar."
        ),
        "note_corrected": (
            " Los veredictos están corregidos por las {comparisons} del estudio con "
            "{correction} ({guarantee}): cada p se muestra sin corregir y tras la corrección, y "
            "una variante ayuda o perjudica solo si su p corregida es menor que {alpha}."
        ),
        "note_lost": " Claras antes de la corrección pero no después: {items}.",
        "note_lost_item": (
            "{variant}: p = {raw} sin corregir, {adjusted} tras {correction} sobre "
            "{comparisons}: sin efecto claro"
        ),
        "note_detectable": (
            " El efecto más pequeño que estas semillas podían detectar (potencia de 80% con "
            "α = {level}) era de {amount}{unit}; para detectar efectos menores, use más "
            "semillas: `trainlab study {study} --seeds-for {effect}` dice cuántas necesita un "
            "efecto de ese tamaño{in_unit}."
        ),
        "note_detectable_range": "{lo} a {hi}",
        "note_in_points": " (en puntos)",
        "note_diverged": (
            " Una variante que divergió en alguna semilla es un resultado, el peor: queda por "
            "debajo de toda variante que entrenó y no es una de las comparaciones."
        ),
        "seq_lead": (
            "Semillas adaptativas: miradas con {looks} semillas (a lo sumo {max_seeds}), gasto "
            "de α = {alpha} de tipo {spending}, niveles {levels}"
        ),
        "seq_settled": "{variant} se decidió con {seeds} ({effect})",
        "seq_open": "sin decidir en la última mirada ({seeds}): {variants}",
        "spending_obrien-fleming": "O'Brien–Fleming",
        "spending_pocock": "Pocock",
        "seq_col_look": "mirada",
        "seq_col_seeds": "semillas por variante",
        "seq_col_level": "nivel",
        "seq_col_settled": "decididas",
        "seq_col_open": "sin decidir",
        "lead_recipe": " de la receta {base}",
        "lead_dataset": " sobre {dataset}",
        "lead_seeds": ", {seeds} cada una",
        "lead_multi": (
            ", comparadas en {label} con las mismas semillas en {k} comparaciones: {parts}."
        ),
        "lead_part": "{variants} contra {ref}",
        "lead_single": (
            ", comparadas en {label}, cada una contra {baseline} con las mismas semillas."
        ),
        "lead_lower": "{label} ({lower})",
        "trials_finished_one": "{done} de {k} ensayo terminado",
        "trials_finished_other": "{done} de {k} ensayos terminados",
        "trials_diverged_one": "{k} divergió",
        "trials_diverged_other": "{k} divergieron",
        "trials_failed_one": "{k} falló con un error",
        "trials_failed_other": "{k} fallaron con un error",
        "trials_unfinished": "{n} sin terminar (pendientes o en curso)",
        "trials_wall": "; tiempo total {wall}.",
        "subtitle_study": "estudio {name}",
        "subtitle_recipe": "receta {base}",
        "subtitle_dataset": "conjunto de datos {dataset}",
        "subtitle_vs": "{label} contra {refs}",
        "helped_title": "{variants} contra {ref}",
        "card_top": "Primer lugar · {label}",
        "card_top_itself": "la {role} misma",
        "card_top_note": "{delta}{unit} contra {ref} · {effect}",
        "card_role": "{role} · {label}",
        "card_ci": "IC 95% {ci}",
        "card_no_ci": "sin intervalo de confianza",
        "card_effects": "Efectos contra la línea base",
        "card_effects_multi": "Efectos contra su referencia",
        "card_effects_note": "ayudaron · perjudicaron · sin efecto claro",
        "card_effects_note_diverges": "ayudaron · perjudicaron · sin efecto claro · divergieron",
        "card_trials": "Ensayos",
        "card_wall": "Tiempo total",
        "workers_one": "{k} proceso",
        "workers_other": "{k} procesos",
        "h_compared": "Qué se comparó",
        "h_helped": "Qué ayudó",
        "none_compared": "Ninguna variante se comparó con la línea base.",
        "h_variants": "Variantes",
        "h_figures": "Figuras",
        "h_curves": "Curvas de aprendizaje y diagnóstico",
        "h_probes": "Dentro de la red: sondas por capa",
        "h_failed": "Errores: no son resultados",
        "errors_note": (
            "Estos ensayos se detuvieron con un error (un fallo del código o una entrada "
            "inválida), no con un resultado medido: no cuentan en ninguna estadística. La primera "
            "línea de cada error:"
        ),
        "h_definition": "Definición del estudio",
        "col_rank": "lugar",
        "col_variant": "variante",
        "col_overrides": "cambios",
        "col_n": "n",
        "col_delta": "Δ contra {role}",
        "col_p": "p",
        "col_p_adjusted": "p ({correction})",
        "col_detectable": "detectable con potencia de 80%",
        "col_diverged": "divergieron",
        "col_gap": "brecha",
        "col_gap_delta": "Δ brecha",
        "col_time": "tiempo / ensayo",
        "col_verdicts": "veredictos",
        "col_failed": "fallidos",
        "col_ci": "[IC 95%]",
        "unit_percent": "%",
        "unit_points_word": "puntos",
        "base_recipe": "receta base",
        "shared_title": "lo mismo que en su referencia",
        "row_vs": "contra {ref}",
        "row_group": "{ref} y {variants} comparadas con ella",
        "table_note_start": "Medias sobre semillas con su intervalo de confianza de 95% debajo.",
        "table_note_start_one": "Medias sobre semillas (sin intervalo: una sola semilla).",
        "table_note_multi": (
            "Δ es variante − su referencia (nombrada bajo la variante), pareada por "
            "semilla{points}."
        ),
        "table_note_shared": "Los cambios en gris son los mismos que en la referencia.",
        "table_note_single": "Δ es variante − línea base, pareada por semilla{points}.",
        "table_note_points": ", en puntos porcentuales",
        "table_note_colors": "Azul: un efecto claro en la dirección buena, naranja: en la mala.",
        "table_note_red": "Rojo oscuro: la variante divergió en alguna semilla.",
        "table_note_p": "p viene de la prueba pareada que se nombra al pasar el cursor sobre ella.",
        "table_note_p_adjusted": (
            "p ({correction}) es p ajustada sobre las {comparisons} del estudio; los veredictos "
            "se leen de ella."
        ),
        "table_note_detectable": (
            "“detectable” es el |Δ| más pequeño que estas semillas podían detectar con potencia "
            "de 80% con α = {level}{points}."
        ),
        "table_note_gap": "La brecha es {gap}; un Δ brecha negativo significa menos sobreajuste.",
        "table_note_lower": "Un valor menor de {label} es mejor: un Δ negativo ayuda.",
        "table_note_diverged": (
            "“divergieron” cuenta las semillas cuyo entrenamiento divergió; esa variante queda "
            "al final."
        ),
        "table_note_dash": (
            "“—” marca un valor que no puede calcularse, como un intervalo de una sola semilla."
        ),
        "figure_missing": "Figura no encontrada: {path}",
        "diag_group": "{ref} y las variantes comparadas con ella",
        "diag_counts": "{n} × {verdict}",
        "diag_of": "(de {total})",
        "diag_seed": "Semilla {seed}",
        "diag_epoch": ", época {epoch}",
        "diag_try": "Qué probar",
        "diag_try_same_one": ": la misma idea que para {ref}",
        "diag_try_same_other": ": las mismas {k} ideas que para {ref}",
        "diag_none": "No se registraron veredictos de las curvas de aprendizaje.",
        "md_verdicts_over": "Veredictos sobre {trials}: {counts}.",
        "md_example": "Ejemplo ({where}): {message}",
        "md_example_seed": "semilla {seed}",
        "md_example_any": "ejemplo",
        "md_try_same": "Qué probar: lo mismo que para {ref} arriba.",
        "md_try": "Qué probar:",
        "probe_count": "{count} de {seeds}",
        "probe_example": "números de la semilla {seed}",
        "probe_quiet": "Sin hallazgos de las sondas para {names}.",
        "probe_quiet_many": "las otras {n} variantes",
        "failure_title": "{variant}, semilla {seed}",
        "failure_none": "no se registró ningún error",
        "generated": "Generado por trainlab {version} el {when}.",
        "meta_trainlab": "trainlab",
        "meta_machine": "máquina",
        "meta_workers": "procesos",
        "meta_executor": "ejecutor",
        "meta_last_run": "última ejecución",
        "meta_last_run_value": "{trials} en {wall}, {workers}, {executor}",
        "verdict_counts": "{n} {verdict}",
    }
)

_CURVES_NOTE = (
    "Media sobre semillas; banda: mínimo a máximo sobre semillas; gris: la referencia del "
    "panel. Cada comparación empieza una fila nueva y comparte su eje y"
)
_PROBES_NOTE = (
    "desviación estándar de las activaciones, fracciones saturada y muerta, norma del "
    "gradiente (media sobre semillas). Activaciones que se encogen con la profundidad indican "
    "señales que se desvanecen (escala inicial demasiado pequeña); una fracción saturada alta, "
    "una demasiado grande; una buena inicialización de pesos conserva la escala."
)

#: figures with a known place in the report: key → (title, caption)
FIGURE_CAPTIONS_ES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "metric": (
            "{metric} por variante",
            "Barras: media sobre semillas con su intervalo de confianza de 95%; puntos: "
            "semillas individuales; línea discontinua: la media de la línea base.",
        ),
        "differences": (
            "Diferencia con la línea base",
            "Diferencia pareada (variante − línea base con las mismas semillas) con su "
            "intervalo de confianza de 95%. Un intervalo que cruza la línea del cero es sin "
            "efecto claro; uno que no la cruza es un efecto claro solo si además su p corregida "
            "es menor que α.",
        ),
        "gap": (
            "Brecha de generalización",
            "{gap} por variante con su intervalo de confianza "
            "de 95%; línea discontinua: la brecha de la línea base. Una brecha menor significa "
            "menos sobreajuste, no necesariamente un mejor modelo.",
        ),
        "curves_val_loss": (
            "Pérdida de validación por época",
            "Media sobre semillas; banda: mínimo a máximo sobre semillas. Una línea delgada "
            "significa que algunas semillas ya se habían detenido (paro temprano) y la media "
            "sigue con las demás.",
        ),
        "curves_val_acc": (
            "Exactitud de validación por época",
            "Media sobre semillas; banda: mínimo a máximo sobre semillas; delgada donde algunas "
            "semillas se habían detenido.",
        ),
        "curves_val_metric": (
            "{metric} por época",
            "Media sobre semillas; banda: mínimo a máximo sobre semillas; delgada donde algunas "
            "semillas se habían detenido.",
        ),
        "probes": (
            "Activaciones y gradientes por capa",
            "Por capa, al inicializar y en la última época registrada: " + _PROBES_NOTE,
        ),
        "metric_multi": (
            "{metric} por variante",
            "Barras: media sobre semillas con su intervalo de confianza de 95%; puntos: "
            "semillas individuales. Las barras oscuras son las referencias; cada línea "
            "discontinua es la media de una referencia, trazada a lo largo de las filas "
            "comparadas con ella, y una raya delgada separa las comparaciones.",
        ),
        "differences_multi": (
            "Diferencia con la referencia de cada variante",
            "Diferencia pareada (Δ contra su referencia: la variante − su referencia con las "
            "mismas semillas) con su intervalo de confianza de 95%, un panel por comparación, "
            "cada uno nombrado por su referencia (el rombo en cero). Un intervalo que cruza la "
            "línea del cero es sin efecto claro; uno que no la cruza es un efecto claro solo si "
            "además su p corregida es menor que α.",
        ),
        "gap_multi": (
            "Brecha de generalización",
            "{gap} por variante con su intervalo de confianza "
            "de 95%; las barras oscuras son las referencias, cada línea discontinua la brecha "
            "de una referencia a lo largo de las filas comparadas con ella. Una brecha menor "
            "significa menos sobreajuste, no necesariamente un mejor modelo.",
        ),
        "curves_val_loss_multi": (
            "Pérdida de validación por época",
            _CURVES_NOTE + "; una pérdida que abarca más de un factor 5 va en eje logarítmico. "
            "Una línea delgada significa que algunas semillas ya se habían detenido.",
        ),
        "curves_val_acc_multi": (
            "Exactitud de validación por época",
            _CURVES_NOTE + "; delgada donde algunas semillas se habían detenido.",
        ),
        "curves_val_metric_multi": (
            "{metric} por época",
            _CURVES_NOTE + "; delgada donde algunas semillas se habían detenido.",
        ),
        "probes_multi": (
            "Activaciones y gradientes por capa",
            "Un bloque por comparación, su referencia en negro y gruesa. Por capa, de la "
            "entrada a la salida, al inicializar y en la última época registrada: " + _PROBES_NOTE,
        ),
    }
)
