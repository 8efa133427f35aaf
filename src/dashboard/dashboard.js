// phare dashboard: looks figures up in the embedded data (computed by phare, the same as
// `phare stats` and `phare map`) and shows them. No network, no framework.
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('phare-data').textContent);
  var $ = function (id) { return document.getElementById(id); };
  var NBSP = '\u00a0', THIN = '\u202f', MINUS = '\u2212';
  var FR = 'FR';
  // Cell fields (see phare::dashboard::Cell); trailing nulls are left out: test with == null.
  var VALUE = 0, FLAG = 1, CLASS = 2, RANK = 3, N = 4, LO = 5, HI = 6, GAP = 7, SIG = 8, NEFF = 9;
  var FLAGS = ['ok', 'insufficient', 'empty'];
  function flagOf(c) { return FLAGS[c[FLAG]]; }

  var measures = {}, levels = {}, places = {};
  D.measures.forEach(function (m) { measures[m.key] = m; });
  D.levels.forEach(function (l) {
    levels[l.key] = l;
    l.territories.forEach(function (t) {
      places[l.key + ':' + t[0]] = { level: l.key, code: t[0], name: t[1], parent: t[2] };
    });
  });
  // Mayors first when they answered, as `phare stats` and `phare profile` read by default.
  var withData = D.actors.filter(function (a) { return a.respondents > 0; });
  var firstActor = withData.filter(function (a) { return a.key === 'maire'; })[0] || withData[0];
  var state = {
    measure: 'q4:oui', level: 'region', actor: firstActor ? firstActor.key : 'maire',
    selected: null, reference: 'parent'
  };

  // ---- French numbers -----------------------------------------------------------------
  function fr(x, d) {
    if (x == null || !isFinite(x)) return 'n.d.';
    var s = Math.abs(x).toFixed(d), parts = s.split('.');
    var int = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, THIN);
    var neg = x < 0 && /[1-9]/.test(s);
    return (neg ? MINUS : '') + int + (parts[1] ? ',' + parts[1] : '');
  }
  function trimmed(x, d) { return fr(x, d).replace(/,?0+$/, function (z) { return z.indexOf(',') >= 0 || d > 0 ? '' : z; }); }
  function plainDecimals(x) { var a = Math.abs(x); return a >= 100 ? 0 : a >= 10 ? 1 : 2; }
  function value(m, x) {
    if (x == null) return '—';
    if (m.unit === 'share') return fr(x * 100, 1) + NBSP + '%';
    if (m.unit === 'mean') return fr(x, 1);
    return trimmed(x, plainDecimals(x));
  }
  function interval(m, c) {
    if (!c || c[LO] == null || c[HI] == null) return '';
    var s = m.unit === 'share' ? 100 : 1;
    return '[' + fr(c[LO] * s, 1) + THIN + '; ' + fr(c[HI] * s, 1) + ']';
  }
  function gap(m, g) {
    if (g == null) return '';
    var v = Math.abs(g) < 0.05 ? 0 : g;
    return (v > 0 ? '+' : '') + fr(v, 1) + (m.unit === 'share' ? NBSP + 'pt' : '');
  }
  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; });
  }

  // ---- Data access ----------------------------------------------------------------------
  function seriesOf(level, mkey, actor) {
    var m = measures[mkey];
    return D.series[level + '|' + mkey + '|' + (m.survey ? actor : '')] || null;
  }
  function cellOf(level, mkey, code, actor) {
    var s = seriesOf(level, mkey, actor || state.actor);
    return s ? s.cells[code] || null : null;
  }
  function levelOfCode(code) {
    return code === FR ? null : ['commune', 'departement', 'region'].filter(function (l) { return places[l + ':' + code]; })[0];
  }
  function placeName(level, code) {
    if (code === FR) return 'France';
    var p = places[level + ':' + code];
    return p ? p.name : code;
  }
  function parentOf(level, code) {
    var p = places[level + ':' + code];
    if (!p) return null;
    if (level === 'region') return { level: 'region', code: FR };
    var pl = level === 'commune' ? 'departement' : 'region';
    return places[pl + ':' + p.parent] ? { level: pl, code: p.parent } : { level: 'region', code: FR };
  }

  // ---- Menus ------------------------------------------------------------------------------
  function buildMenus() {
    $('title').textContent = D.title;
    if (D.synthetic) {
      var b = $('banner');
      b.hidden = false;
      b.textContent = 'Données simulées : échantillon synthétique calibré sur les résultats publiés de PHARE, pas des réponses réelles.';
    }
    var groups = {}, sel = $('measure');
    D.measures.forEach(function (m) {
      if (!groups[m.group]) {
        groups[m.group] = document.createElement('optgroup');
        groups[m.group].label = m.group;
        sel.appendChild(groups[m.group]);
      }
      var o = new Option(m.label, m.key);
      groups[m.group].appendChild(o);
    });
    sel.value = state.measure;
    D.levels.forEach(function (l) { $('level').appendChild(new Option(l.label, l.key)); });
    $('level').value = state.level;
    var fs = $('actors'), absent = [];
    D.actors.forEach(function (a) {
      var lab = document.createElement('label');
      var r = document.createElement('input');
      r.type = 'radio'; r.name = 'actor'; r.value = a.key;
      r.disabled = a.respondents === 0;
      r.checked = a.key === state.actor;
      lab.appendChild(r);
      lab.appendChild(document.createTextNode(' ' + a.label + (a.respondents ? ' (' + fr(a.respondents, 0) + ')' : '')));
      if (!a.respondents) { lab.className = 'absent'; lab.title = 'Aucune réponse de ce type d\'acteur dans les données'; absent.push(a.label.toLowerCase()); }
      fs.appendChild(lab);
    });
    $('actor-note').textContent = absent.length ?
      'Pas encore de réponses pour : ' + absent.join(', ') + '. Ces choix s\'activeront dès que le fichier d\'enquête en contiendra.' : '';
    var dl = $('places');
    ['region', 'departement', 'commune'].forEach(function (l) {
      levels[l].territories.forEach(function (t) { dl.appendChild(new Option(t[1] + ' (' + t[0] + ')')); });
    });
    var foot = $('footer');
    D.sources.concat([D.vintage,
      'Valeurs : parts et scores moyens pondérés ; IC 95 % : Wilson sur n effectif (parts), Student (moyennes). ' +
      'Hachuré : moins de ' + D.min_n + ' répondants, à ne pas interpréter seul. Classes et couleurs identiques à phare map.'
    ]).forEach(function (s) { var p = document.createElement('p'); p.textContent = s; foot.appendChild(p); });
  }

  // ---- Map ----------------------------------------------------------------------------------
  var paths = {}, twins = {};
  function loadMap() {
    var box = $('map');
    box.textContent = '';
    box.appendChild(document.getElementById('map-' + state.level).content.cloneNode(true));
    paths = {};
    twins = {};
    var list = box.querySelectorAll('path[id]');
    for (var i = 0; i < list.length; i++) {
      var p = list[i];
      // The Île-de-France zoom box draws Paris and its couronne again, as `zoom-CODE`.
      if (p.id.indexOf('zoom-') === 0) { twins[p.id.slice(5)] = p; continue; }
      if (!places[state.level + ':' + p.id]) continue;
      paths[p.id] = p;
      p.setAttribute('tabindex', '-1');
      p.setAttribute('role', 'button');
    }
    // Roving focus: the map is one Tab stop (thousands of communes would trap the keyboard);
    // arrow keys move between territories.
    var sel = state.selected && state.selected.level === state.level && paths[state.selected.code];
    rove(sel || paths[Object.keys(paths).sort()[0]]);
  }
  function rove(p) {
    if (!p) return;
    var old = $('map').querySelector('path[tabindex="0"]');
    if (old) old.setAttribute('tabindex', '-1');
    p.setAttribute('tabindex', '0');
  }
  function fillOf(series, code) {
    var c = series && series.cells[code];
    if (!c) return D.no_data[0];
    if (flagOf(c) === 'insufficient') return 'url(#hatch-0)';
    return c[CLASS] != null ? series.classes[c[CLASS]].color : D.no_data[0];
  }
  function describe(m, code, c) {
    var name = placeName(state.level, code) + ' (' + code + ')';
    if (!c) return name + ' : ' + (m.survey ? 'aucun répondant' : 'non renseigné');
    var s = name + ' : ' + value(m, c[VALUE]);
    if (c[N] != null) s += ', n = ' + fr(c[N], 0);
    if (c[NEFF] != null) s += ', n eff. = ' + fr(c[NEFF], 0);
    if (flagOf(c) === 'insufficient') s += ', échantillon insuffisant';
    return s;
  }
  function paint() {
    var m = measures[state.measure], s = seriesOf(state.level, state.measure, state.actor);
    Object.keys(paths).forEach(function (code) {
      var p = paths[code], f = fillOf(s, code);
      var selected = !!state.selected && state.selected.level === state.level && state.selected.code === code;
      p.setAttribute('fill', f);
      p.setAttribute('aria-label', describe(m, code, s && s.cells[code]));
      p.classList.toggle('selected', selected);
      if (twins[code]) { twins[code].setAttribute('fill', f); twins[code].classList.toggle('selected', selected); }
    });
    var lvl = levels[state.level];
    var actor = D.actors.filter(function (a) { return a.key === state.actor; })[0];
    $('map-title').textContent = m.label;
    var n = m.survey ? cellOf(state.level, state.measure, FR) : null;
    $('map-subtitle').textContent = lvl.label + (m.survey ? ' · ' + actor.label + (n ? ' · n = ' + fr(n[N], 0) + ' répondants, France : ' + value(m, n[VALUE]) : '') : '') +
      (s ? '' : ' · non disponible à ce niveau (un taux ne s\'additionne pas : choisissez les communes)');
    legend(m, s);
    if ($('table-box').open) table();
  }
  // Legend entries of the current map: classes, then no data and hatched, with counts.
  function legendEntries(s) {
    var out = (s ? s.classes : []).map(function (k) { return { fill: k.color, label: k.label, count: k.count }; });
    var cells = s ? s.cells : {}, codes = Object.keys(paths);
    var nd = codes.filter(function (c) { return !cells[c]; }).length;
    var ins = codes.filter(function (c) { return cells[c] && flagOf(cells[c]) === 'insufficient'; }).length;
    if (nd) out.push({ fill: D.no_data[0], label: D.no_data[1], count: nd });
    if (ins) out.push({ fill: 'url(#hatch-0)', label: D.small_sample, count: ins });
    return out;
  }
  function legend(m, s) {
    var h = '<strong>' + esc(m.legend) + '</strong><ul>';
    legendEntries(s).forEach(function (e) {
      var css = e.fill === 'url(#hatch-0)' ? hatchCss() : 'background:' + e.fill;
      h += '<li><span class="swatch" style="' + css + '"></span><span>' + esc(e.label) + ' (' + e.count + ')</span></li>';
    });
    h += '</ul>';
    if (s && s.method) h += '<span class="note">Discrétisation : ' + esc(s.method) + ', ' + s.classes.length + ' classes</span>';
    $('legend').innerHTML = h;
  }
  function hatchCss() {
    var bg = D.hatch[0] === 'none' ? '#fff' : D.hatch[0];
    return 'background:repeating-linear-gradient(-45deg,' + D.hatch[1] + ' 0 1.5px,' + bg + ' 1.5px 5px)';
  }

  // ---- Tooltip ----------------------------------------------------------------------------
  function tooltipHtml(code) {
    var m = measures[state.measure], c = cellOf(state.level, state.measure, code);
    var h = '<strong>' + esc(placeName(state.level, code)) + '</strong> (' + esc(code) + ')<br>' + esc(m.label) + '<br>';
    if (!c) return h + (m.survey ? 'Aucun répondant' : 'Non renseigné');
    h += '<span class="value">' + value(m, c[VALUE]) + '</span>';
    if (c[LO] != null) h += ' · IC 95 % ' + interval(m, c);
    if (c[N] != null) h += '<br>n = ' + fr(c[N], 0);
    if (c[NEFF] != null) h += ' · n eff. = ' + fr(c[NEFF], 0);
    if (c[GAP] != null) h += ' · écart au territoire parent : ' + gap(m, c[GAP]) + (c[SIG] ? ' (significatif)' : '');
    if (c[RANK] != null) h += '<br>Rang ' + c[RANK] + ' sur ' + seriesOf(state.level, state.measure, state.actor).ranked;
    if (flagOf(c) === 'insufficient') h += '<br><span class="flag">Échantillon insuffisant (n eff. < ' + D.min_n + ') : à ne pas interpréter seul</span>';
    return h;
  }
  function showTip(code, x, y) {
    var t = $('tooltip'), area = $('map-area').getBoundingClientRect();
    t.innerHTML = tooltipHtml(code);
    t.hidden = false;
    var left = x - area.left + 14, top = y - area.top + 14;
    if (left + t.offsetWidth > area.width) left = Math.max(0, x - area.left - t.offsetWidth - 14);
    t.style.left = left + 'px';
    t.style.top = top + 'px';
  }
  function hideTip() { $('tooltip').hidden = true; }

  // ---- Panel: `phare profile`'s figures (phare::dashboard::panel) -----------------------
  var P = D.profiles;
  // Profiles exist per actor; « all actors » reads the first actor's.
  function profileActor() { return P.survey[state.actor] ? state.actor : Object.keys(P.survey)[0]; }
  // Whose estimates the panel shows: a commune shows its département's, as `phare profile` does.
  function subjectOf(sel) {
    if (sel.level !== 'commune') return sel;
    var p = places['commune:' + sel.code];
    return { level: 'departement', code: p.parent };
  }
  function referenceOf(sub) {
    if (state.reference === 'parent') return parentOf(sub.level, sub.code) || { level: 'region', code: FR };
    if (state.reference === FR) return { level: 'region', code: FR };
    var parts = state.reference.split(':');
    return { level: parts[0], code: parts[1] };
  }
  // The estimates of `phare profile`: the map's cells of the level (same rows) with the
  // profile's gap to France.
  function figures(t, actor) {
    var prof = P.survey[actor] && P.survey[actor][t.code === FR ? FR : t.level + ':' + t.code];
    if (!prof) return null;
    var level = t.code === FR ? 'region' : t.level;
    return {
      prof: prof,
      cells: P.measures.map(function (k, i) {
        var c = cellOf(level, k, t.code, actor), out = c ? c.slice(0) : [null, 2, null, null, 0];
        while (out.length < 10) out.push(null);
        out[CLASS] = null; out[RANK] = null; out[GAP] = prof.gaps[i][0]; out[SIG] = prof.gaps[i][1];
        return out;
      })
    };
  }
  function dots(c, r) {
    // A 0-10 strip: the reference's interval in grey, the territory's in colour.
    var w = 120, x = function (v) { return 4 + (w - 8) * Math.max(0, Math.min(10, v)) / 10; };
    var h = '<svg class="dots" viewBox="0 0 ' + w + ' 14" width="' + w + '" height="14" aria-hidden="true"><line x1="4" x2="' + (w - 4) + '" y1="7" y2="7" stroke="#ddd"/>';
    [[r, '#8c959f', 10], [c, '#0b5cad', 4]].forEach(function (e) {
      var k = e[0];
      if (!k || k[VALUE] == null) return;
      if (k[LO] != null) h += '<line x1="' + x(k[LO]) + '" x2="' + x(k[HI]) + '" y1="' + e[2] + '" y2="' + e[2] + '" stroke="' + e[1] + '" stroke-width="2"/>';
      h += '<circle cx="' + x(k[VALUE]) + '" cy="' + e[2] + '" r="3" fill="' + (flagOf(k) === 'insufficient' ? '#fff' : e[1]) + '" stroke="' + e[1] + '"/>';
    });
    return h + '</svg>';
  }
  // The panel's headings name the question: rows keep the answer only.
  function shortLabel(m) {
    var l = m.label.replace(/ \(moyenne \/10\)$/, '').replace(/^(Q4 co-construction|Innovation) : /, '');
    return l.charAt(0).toUpperCase() + l.slice(1);
  }
  function cellText(m, c, withGap) {
    if (!c || c[VALUE] == null) return '<td class="num">—' + (c && c[N] === 0 ? '<br><span class="note">aucun répondant</span>' : '') + '</td>';
    var ins = flagOf(c) === 'insufficient';
    var t = value(m, c[VALUE]);
    if (c[LO] != null) t += ' <span class="note">' + interval(m, c) + '</span>';
    if (c[N] != null) t += '<br><span class="note' + (ins ? ' flag' : '') + '">n = ' + fr(c[N], 0) + (ins ? ', insuffisant' : '') + '</span>';
    if (withGap && c[GAP] != null) t += '<br><span class="note">écart à la France : ' + gap(m, c[GAP]) + (c[SIG] ? ' <abbr class="sig" title="écart significatif à 95 %">*</abbr>' : '') + '</span>';
    return '<td class="num">' + t + '</td>';
  }
  function identity(sel) {
    var id = P.places[sel.level + ':' + sel.code];
    var v = id ? id.identity : ['ind:population', 'ind:area', 'ind:density'].map(function (k) {
      var c = cellOf(sel.level, k, sel.code); return c ? c[VALUE] : null;
    });
    var parts = [];
    if (v[0] != null) parts.push('Population : ' + fr(v[0], 0) + NBSP + 'hab.');
    if (v[1] != null) parts.push('superficie : ' + fr(v[1], 1) + NBSP + 'km²');
    if (v[2] != null) parts.push('densité : ' + fr(v[2], 1) + NBSP + 'hab./km²');
    if (v[3] != null) parts.push(fr(v[3], 0) + NBSP + 'communes');
    return parts.join(' · ');
  }
  function panel() {
    var sel = state.selected;
    if (!sel) return;
    var actor = profileActor(), sub = subjectOf(sel), ref = referenceOf(sub);
    var p = places[sel.level + ':' + sel.code], subName = placeName(sub.level, sub.code), refName = placeName(ref.level, ref.code);
    var chain = [], up = parentOf(sel.level, sel.code);
    while (up && up.code !== FR) { chain.push(placeName(up.level, up.code)); up = parentOf(up.level, up.code); }
    var actorLabel = D.actors.filter(function (a) { return a.key === actor; })[0].label;
    var h = '<h2 id="panel-title">' + esc(p.name) + ' <span class="note">(' + esc(sel.code) + ')</span></h2>';
    h += '<p class="note">' + esc({ commune: 'Commune', departement: 'Département', region: 'Région' }[sel.level]) + (chain.length ? ' · ' + esc(chain.join(' · ')) : '') + ' · ' + esc(actorLabel) + (actor !== state.actor ? ' (le profil se lit par acteur)' : '') + '</p>';
    h += '<p class="identity">' + esc(identity(sel)) + '</p>';
    if (sel.level === 'commune') h += '<p class="note">Estimations au département (' + esc(subName) + ') : trop peu de répondants par commune, comme dans <code>phare profile</code>.</p>';
    h += '<label>Comparer à <select id="reference">';
    var par = parentOf(sub.level, sub.code);
    h += '<option value="parent">' + esc(par ? placeName(par.level, par.code) : 'France') + ' (territoire parent)</option>';
    h += '<option value="FR">France</option>';
    ['region', 'departement'].forEach(function (l) {
      h += '<optgroup label="' + esc(levels[l].label) + '">';
      levels[l].territories.forEach(function (t) {
        h += '<option value="' + l + ':' + esc(t[0]) + '">' + esc(t[1]) + ' (' + esc(t[0]) + ')</option>';
      });
      h += '</optgroup>';
    });
    h += '</select></label>';
    var f = figures(sub, actor), g = figures(ref, actor);
    var head = function (first, last) {
      return '<table><thead><tr><th scope="col">' + first + '</th><th scope="col">' + esc(subName) + '</th><th scope="col">' + esc(refName) + '</th>' + (last ? '<th scope="col">' + last + '</th>' : '') + '</tr></thead><tbody>';
    };
    if (f) {
      h += '<h3>Fragilités ressenties (score moyen /10, IC 95 %)</h3>' + head('Domaine', 'Sur 0 à 10');
      P.measures.forEach(function (k, i) {
        if (k === 'q4:oui') return;
        var m = measures[k], c = f.cells[i], r = g ? g.cells[i] : null;
        h += '<tr data-measure="' + esc(k) + '"><th scope="row">' + esc(shortLabel(m)) + '</th>' + cellText(m, c, true) + cellText(m, r, false) + '<td>' + dots(c, r) + '</td></tr>';
      });
      h += '</tbody></table>';
      var pr = f.prof.priorities;
      h += '<h3>Trois fragilités prioritaires</h3>';
      // [place key, n, [domain, mean]...], from `phare profile`.
      var prPlace = pr ? pr[0].split(':') : null;
      h += pr ? '<ol class="priorities">' + pr[2].map(function (d) { return '<li>' + esc(shortLabel(measures['frag_' + d[0] + ':mean'])) + ' : ' + fr(d[1], 1) + '</li>'; }).join('') + '</ol><p class="note">Lues à l’échelle ' + esc(placeName(prPlace[0], prPlace[prPlace.length - 1])) + ' (n = ' + fr(pr[1], 0) + ').</p>' : '<p class="note">Pas assez de répondants.</p>';
      var qi = P.measures.indexOf('q4:oui'), qm = measures['q4:oui'];
      h += '<h3>Dynamique de co-construction (Q4)</h3>' + head('Réponse', '');
      h += '<tr data-measure="q4:oui"><th scope="row">' + esc(shortLabel(qm)) + '</th>' + cellText(qm, f.cells[qi], true) + cellText(qm, g ? g.cells[qi] : null, false) + '</tr>';
      [1, 2, 3, 4].forEach(function (a, i) {
        var m = measures['q4:' + a];
        if (!m) return;
        var x = f.prof.q4_answers[i], y = g ? g.prof.q4_answers[i] : null;
        h += '<tr data-measure="q4:' + a + '"><th scope="row">' + esc(shortLabel(m)) + '</th><td class="num">' + value(m, x) + '</td><td class="num">' + value(m, y) + '</td></tr>';
      });
      h += '</tbody></table>';
    }
    var ind = P.places[sel.level + ':' + sel.code];
    var rows = '';
    if (ind && ind.indicators.length) {
      ind.indicators.forEach(function (x) {
        rows += '<tr data-measure="ind:' + esc(x.column) + '"><th scope="row">' + esc(x.column) + (x.statistic !== 'value' ? ' <span class="note">(' + esc(x.statistic === 'sum' ? 'somme' : 'médiane') + ')</span>' : '') + '</th><td class="num">' + value({ unit: 'plain' }, x.value) + '</td><td>' +
          x.ranks.map(function (r) { return esc(r.scope.name) + ' : ' + r.rank + ' / ' + r.of + ' (centile ' + fr(r.percentile, 0) + ')'; }).join('<br>') + '</td></tr>';
      });
    } else {
      // Without an indicator file, and for communes: rank among the territories of the page's level.
      D.measures.filter(function (m) { return !m.survey && m.key.slice(0, 4) === 'ind:'; }).forEach(function (m) {
        var c = cellOf(sel.level, m.key, sel.code), sr = seriesOf(sel.level, m.key, state.actor);
        if (!c) return;
        rows += '<tr data-measure="' + esc(m.key) + '"><th scope="row">' + esc(m.label) + '</th><td class="num">' + value(m, c[VALUE]) + '</td><td>' + (c[RANK] ? esc(D.within[1]) + ' : ' + c[RANK] + ' / ' + sr.ranked : '—') + '</td></tr>';
      });
    }
    if (rows) h += '<h3>Indicateurs</h3><table><thead><tr><th scope="col">Indicateur</th><th scope="col">Valeur</th><th scope="col">Rang (1 = le plus élevé)</th></tr></thead><tbody>' + rows + '</tbody></table>';
    var box = $('panel');
    box.innerHTML = h;
    var rs = $('reference');
    rs.value = state.reference;
    if (rs.value !== state.reference) { state.reference = 'parent'; rs.value = 'parent'; }
    rs.addEventListener('change', function () { state.reference = rs.value; panel(); $('reference').focus(); });
  }
  function select(level, code, focus) {
    state.selected = { level: level, code: code };
    if (level !== state.level) {
      state.level = level;
      $('level').value = level;
      loadMap();
    }
    paint();
    panel();
    if (paths[code]) rove(paths[code]);
    if (focus && paths[code]) paths[code].focus();
  }

  // ---- Search -----------------------------------------------------------------------------
  function fold(s) {
    return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[-'’]/g, ' ').replace(/\s+/g, ' ').trim();
  }
  function search(q) {
    var code = (q.match(/\(([0-9AB]{2,5})\)\s*$/i) || [])[1];
    var name = fold(q.replace(/\([^)]*\)\s*$/, ''));
    var order = [state.level].concat(['commune', 'departement', 'region'].filter(function (l) { return l !== state.level; }));
    var pick = function (test) {
      for (var i = 0; i < order.length; i++) {
        var ts = levels[order[i]].territories;
        for (var j = 0; j < ts.length; j++) if (test(ts[j])) return { level: order[i], code: ts[j][0] };
      }
      return null;
    };
    var up = q.trim().toUpperCase();
    return (code && pick(function (t) { return t[0] === code.toUpperCase() && (!name || fold(t[1]) === name); })) ||
      pick(function (t) { return t[0] === up; }) ||
      pick(function (t) { return fold(t[1]) === name; }) ||
      (name.length > 1 ? pick(function (t) { return fold(t[1]).indexOf(name) === 0; }) : null);
  }

  // ---- Table and downloads ----------------------------------------------------------------
  function rows() {
    var m = measures[state.measure], s = seriesOf(state.level, state.measure, state.actor);
    var out = [];
    var fr = s && s.cells[FR];
    if (fr) out.push(['france', FR, 'France', fr]);
    levels[state.level].territories.forEach(function (t) { out.push([state.level, t[0], t[1], s ? s.cells[t[0]] || null : null]); });
    return { m: m, rows: out };
  }
  function table() {
    var r = rows(), m = r.m;
    var h = '<table><caption class="note">' + esc(m.label) + ' · ' + esc(levels[state.level].label) + '</caption><thead><tr><th>Code</th><th>Territoire</th><th>Valeur</th><th>IC 95 %</th><th>n</th><th>Statut</th></tr></thead><tbody>';
    r.rows.forEach(function (x) {
      var c = x[3];
      h += '<tr><td>' + esc(x[1]) + '</td><td>' + esc(x[2]) + '</td><td class="num">' + (c ? value(m, c[VALUE]) : '—') + '</td><td class="num">' + interval(m, c) + '</td><td class="num">' + (c && c[N] != null ? fr(c[N], 0) : '') + '</td><td' + (c && flagOf(c) === 'insufficient' ? ' class="flag">insuffisant' : '>' + (c ? 'ok' : (m.survey ? 'aucun répondant' : 'non renseigné'))) + '</td></tr>';
    });
    $('table').innerHTML = h + '</tbody></table>';
  }
  function save(blob, name) {
    var a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }
  function fileName(ext) {
    return ('phare-' + state.level + '-' + state.measure + (measures[state.measure].survey ? '-' + state.actor : '')).replace(/[^A-Za-z0-9_-]+/g, '_') + '.' + ext;
  }
  function csv() {
    var r = rows(), q = function (v) { v = v == null ? '' : String(v); return /[",\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v; };
    var lines = ['level,code,name,actor,measure,value,n,n_eff,ci_low,ci_high,flag,rank,gap,gap_significant,synthetic'];
    r.rows.forEach(function (x) {
      var c = x[3] || [null, 'empty', null, null, 0];
      lines.push([x[0], x[1], x[2], r.m.survey ? state.actor : '', state.measure, c[VALUE], c[N], c[NEFF], c[LO], c[HI], flagOf(c), c[RANK], c[GAP], c[SIG] == null ? null : c[SIG] === 1, D.synthetic].map(q).join(','));
    });
    save(new Blob([lines.join('\n') + '\n'], { type: 'text/csv;charset=utf-8' }), fileName('csv'));
  }
  // The map as a standalone SVG: title, the current map, legend and source lines.
  function exportSvg() {
    var svg = $('map').querySelector('svg');
    var vb = svg.getAttribute('viewBox').split(' ').map(Number);
    var W = 1000, mapW = 680, mapH = Math.round(mapW * vb[3] / vb[2]);
    var m = measures[state.measure], s = seriesOf(state.level, state.measure, state.actor);
    var entries = legendEntries(s);
    var top = 80, legendH = 40 + entries.length * 26 + 30;
    var H = top + Math.max(mapH, legendH) + 70;
    var inner = new XMLSerializer().serializeToString(svg)
      .replace(/^<svg[^>]*>/, '<svg x="10" y="' + top + '" width="' + mapW + '" height="' + mapH + '" viewBox="' + vb.join(' ') + '" fill-rule="evenodd" stroke-linejoin="round">')
      .replace(/ tabindex="0"| role="button"| class="selected"/g, '');
    var t = function (x, y, size, text, extra) { return '<text x="' + x + '" y="' + y + '" font-size="' + size + '"' + (extra || '') + '>' + esc(text) + '</text>'; };
    var out = '<svg xmlns="http://www.w3.org/2000/svg" width="' + W + '" height="' + H + '" viewBox="0 0 ' + W + ' ' + H + '" font-family="DejaVu Sans, sans-serif">' +
      '<rect width="100%" height="100%" fill="#fff"/>' + t(20, 34, 22, m.label, ' font-weight="bold"') + t(20, 58, 14, $('map-subtitle').textContent, ' fill="#57606a"');
    if (D.synthetic) out += t(W - 20, 34, 14, 'Données simulées', ' text-anchor="end" font-weight="bold" fill="#9a3412"');
    out += inner + t(710, top + 20, 14, m.legend, ' font-weight="bold"');
    entries.forEach(function (e, i) {
      var y = top + 36 + i * 26;
      out += '<rect x="710" y="' + y + '" width="28" height="18" fill="' + e.fill + '" stroke="#777"/>' + t(746, y + 14, 13, e.label + ' (' + e.count + ')');
    });
    if (s && s.method) out += t(710, top + 36 + entries.length * 26 + 16, 12, 'Discrétisation : ' + s.method, ' fill="#57606a"');
    D.sources.forEach(function (line, i) { out += t(20, H - 40 + i * 16, 11, line, ' fill="#57606a"'); });
    return { text: out + '</svg>', w: W, h: H };
  }
  function png() {
    var e = exportSvg(), img = new Image(), url = URL.createObjectURL(new Blob([e.text], { type: 'image/svg+xml' }));
    img.onload = function () {
      var c = document.createElement('canvas');
      c.width = e.w * 2; c.height = e.h * 2;
      var g = c.getContext('2d');
      g.scale(2, 2);
      g.drawImage(img, 0, 0);
      URL.revokeObjectURL(url);
      c.toBlob(function (b) { save(b, fileName('png')); }, 'image/png');
    };
    img.src = url;
  }

  // ---- Events -------------------------------------------------------------------------------
  function codeOf(ev) {
    var p = ev.target.closest && ev.target.closest('path[id]');
    if (!p) return null;
    var code = p.id.replace(/^zoom-/, '');
    return paths[code] ? code : null;
  }
  function wire() {
    $('measure').addEventListener('change', function (e) { state.measure = e.target.value; paint(); panel(); });
    $('level').addEventListener('change', function (e) { state.level = e.target.value; loadMap(); paint(); });
    $('actors').addEventListener('change', function (e) { state.actor = e.target.value; paint(); panel(); });
    var map = $('map');
    map.addEventListener('mousemove', function (e) { var c = codeOf(e); if (c) showTip(c, e.clientX, e.clientY); else hideTip(); });
    map.addEventListener('mouseleave', hideTip);
    map.addEventListener('click', function (e) { var c = codeOf(e); if (c) select(state.level, c, false); });
    map.addEventListener('focusin', function (e) {
      var c = codeOf(e);
      if (!c) return;
      rove(paths[c]);
      var r = e.target.getBoundingClientRect();
      showTip(c, r.left + r.width / 2, r.top + r.height / 2);
    });
    map.addEventListener('focusout', hideTip);
    map.addEventListener('keydown', function (e) {
      var c = codeOf(e);
      if (!c) return;
      if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); select(state.level, c, true); }
      var step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[e.key];
      if (step) {
        e.preventDefault();
        var codes = Object.keys(paths).sort(), i = codes.indexOf(c) + step;
        if (i >= 0 && i < codes.length) { rove(paths[codes[i]]); paths[codes[i]].focus(); }
      }
      if (e.key === 'Escape') { hideTip(); }
    });
    $('search-form').addEventListener('submit', function (e) {
      e.preventDefault();
      var q = $('search').value, hit = search(q);
      $('search-status').textContent = hit ? '' : 'Aucun territoire ne correspond à « ' + q + ' » (régions, départements, communes de ' + D.within[1] + ' seulement).';
      if (hit) { state.reference = 'parent'; select(hit.level, hit.code, true); }
    });
    $('table-box').addEventListener('toggle', function () { if ($('table-box').open) table(); });
    $('dl-svg').addEventListener('click', function () { save(new Blob([exportSvg().text], { type: 'image/svg+xml' }), fileName('svg')); });
    $('dl-png').addEventListener('click', png);
    $('dl-csv').addEventListener('click', csv);
  }

  buildMenus();
  loadMap();
  paint();
  wire();
  document.documentElement.setAttribute('data-ready', '1');
})();
