// Progressive enhancement for the residents' pages: every page works without this file.
// data-module="error-summary": focus moves to the summary; data-module="ballot": the live
// budget meter, counter or points left, and no over-budget ballot leaves the browser.
(function () {
  'use strict';
  var lang = document.documentElement.lang;
  var intl = lang === 'bn' ? 'bn-BD' : lang === 'en' ? 'en-GB' : lang;

  function fill(template, params) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return name in params ? params[name] : whole;
    });
  }
  function money(pence) {
    var whole = pence % 100 === 0;
    return new Intl.NumberFormat(intl, {
      style: 'currency',
      currency: 'GBP',
      minimumFractionDigits: whole ? 0 : 2,
      maximumFractionDigits: whole ? 0 : 2,
    }).format(pence / 100);
  }
  function number(n) {
    return new Intl.NumberFormat(intl).format(n);
  }
  function digits(text) {
    return text.replace(/[\u09E6-\u09EF]/g, function (d) {
      return String(d.charCodeAt(0) - 0x09e6);
    });
  }

  function focusSummary(summary) {
    summary.setAttribute('tabindex', '-1');
    summary.focus();
  }
  var existing = document.querySelector('[data-module="error-summary"]');
  if (existing) focusSummary(existing);

  /** Shows (or clears) one message in a GOV.UK error summary made in the browser. */
  function showError(form, message, href) {
    var summary = document.getElementById('client-error-summary');
    if (!message) {
      if (summary) summary.parentNode.removeChild(summary);
      return;
    }
    if (!summary) {
      summary = document.createElement('div');
      summary.id = 'client-error-summary';
      summary.className = 'govuk-error-summary';
      summary.setAttribute('role', 'alert');
      summary.innerHTML =
        '<div role="alert"><h2 class="govuk-error-summary__title"></h2><div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list"><li><a></a></li></ul></div></div>';
      var main = document.getElementById('main-content');
      main.insertBefore(summary, main.firstChild);
    }
    summary.querySelector('h2').textContent = form.getAttribute('data-t-error-title');
    var link = summary.querySelector('a');
    link.textContent = message;
    link.setAttribute('href', href);
    focusSummary(summary);
  }

  function ballot(form) {
    var kind = form.getAttribute('data-kind');
    var budget = Number(form.getAttribute('data-budget'));
    var max = Number(form.getAttribute('data-max'));
    var total = Number(form.getAttribute('data-points'));
    var text = form.querySelector('[data-meter-text]');
    var left = form.querySelector('[data-meter-left]');
    var bar = form.querySelector('[data-meter-bar]');
    var meter = form.querySelector('[data-meter]');
    var boxes = form.querySelectorAll('input[name="choice"]');
    var inputs = form.querySelectorAll('[data-points-input]');

    function state() {
      if (kind === 'cumulative') {
        var used = 0;
        for (var i = 0; i < inputs.length; i++) used += Number(digits(inputs[i].value.trim())) || 0;
        return { over: used > total, used: used };
      }
      var spent = 0,
        count = 0;
      for (var j = 0; j < boxes.length; j++)
        if (boxes[j].checked) {
          spent += Number(boxes[j].getAttribute('data-cost'));
          count++;
        }
      return { over: kind === 'knapsack' ? spent > budget : count > max, spent: spent, count: count };
    }

    function update() {
      var s = state();
      if (kind === 'knapsack') {
        text.textContent = fill(form.getAttribute('data-t-meter'), { spent: money(s.spent), budget: money(budget) });
        left.textContent = s.over
          ? fill(form.getAttribute('data-t-over'), { over: money(s.spent - budget) })
          : fill(form.getAttribute('data-t-left'), { left: money(budget - s.spent) });
        bar.value = Math.min(s.spent, budget);
        bar.classList.toggle('council-meter__bar--over', s.over);
        for (var k = 0; k < boxes.length; k++) {
          var box = boxes[k];
          var hint = document.getElementById(box.id + '-item-hint');
          var mark = hint && hint.querySelector('[data-nofit]');
          var fits = box.checked || s.spent + Number(box.getAttribute('data-cost')) <= budget;
          if (!fits && hint && !mark) {
            mark = document.createElement('strong');
            mark.className = 'council-nofit';
            mark.setAttribute('data-nofit', '');
            mark.textContent = form.getAttribute('data-t-nofit');
            hint.appendChild(document.createTextNode(' '));
            hint.appendChild(mark);
          } else if (fits && mark) {
            mark.parentNode.removeChild(mark);
          }
        }
      } else if (kind === 'approval') {
        text.textContent = fill(form.getAttribute('data-t-counter'), { count: number(s.count), max: number(max) });
      } else {
        text.textContent = fill(form.getAttribute('data-t-points'), { left: number(total - s.used), total: number(total) });
      }
      meter.classList.toggle('council-meter--over', s.over);
    }

    form.addEventListener('change', update);
    form.addEventListener('input', update);
    form.addEventListener('submit', function (event) {
      var s = state();
      if (s.over) {
        event.preventDefault();
        var message =
          kind === 'knapsack'
            ? fill(form.getAttribute('data-t-over-error'), { over: money(s.spent - budget), budget: money(budget) })
            : kind === 'approval'
              ? fill(form.getAttribute('data-t-max-error'), { max: number(max) })
              : fill(form.getAttribute('data-t-points-error'), { points: number(total) });
        showError(form, message, kind === 'cumulative' ? '#points-1' : '#choices');
      } else {
        showError(form, '');
      }
    });
    update();
  }

  var forms = document.querySelectorAll('form[data-module="ballot"]');
  for (var i = 0; i < forms.length; i++) ballot(forms[i]);

  // At a kiosk: a countdown to the resident's sign-out (the page's meta refresh does it without JavaScript). In the
  // last 30 seconds it warns and offers more time: a request for this page restarts both sessions' two minutes.
  var timer = document.querySelector('[data-module="kiosk-timer"]');
  if (timer) {
    var full = Number(timer.getAttribute('data-seconds'));
    var left = full;
    var text = timer.querySelector('[data-timer-text]');
    var stay = timer.querySelector('[data-timer-stay]');
    var tick = function () {
      if (left <= 0) return window.location.assign(timer.getAttribute('data-href'));
      if (left <= 30) {
        text.textContent = fill(text.getAttribute('data-template'), { seconds: number(left) });
        stay.hidden = false;
      }
      left--;
    };
    stay.addEventListener('click', function () {
      fetch(window.location.href, { credentials: 'same-origin' }).then(function () {
        left = full;
        stay.hidden = true;
      });
    });
    tick();
    setInterval(tick, 1000);
  }
  // GOV.UK radios with a conditional reveal (data-aria-controls), as govuk-frontend's own script
  // does it: the chosen item's panel is shown, the others hidden (the body is marked
  // govuk-frontend-supported, so the panels start hidden unless their item is checked).
  var groups = document.querySelectorAll('.govuk-radios');
  for (var g = 0; g < groups.length; g++)
    (function (group) {
      var items = group.querySelectorAll('input[type="radio"][data-aria-controls]');
      if (!items.length) return;
      function sync() {
        for (var n = 0; n < items.length; n++) {
          var panel = document.getElementById(items[n].getAttribute('data-aria-controls'));
          if (!panel) continue;
          items[n].setAttribute('aria-controls', panel.id);
          panel.classList.toggle('govuk-radios__conditional--hidden', !items[n].checked);
        }
      }
      group.addEventListener('change', sync);
      sync();
    })(groups[g]);

  // The auditors' time slider: a range beside the position field that submits where it is let go.
  var sliders = document.querySelectorAll('form[data-module="time-slider"]');
  for (var k = 0; k < sliders.length; k++)
    (function (form) {
      var range = form.querySelector('.council-slider__range');
      var field = form.querySelector('#position');
      if (!range || !field) return;
      range.parentNode.hidden = false;
      range.addEventListener('input', function () {
        field.value = range.value;
      });
      range.addEventListener('change', function () {
        field.value = range.value;
        var at = form.querySelector('#at');
        if (at) at.value = '';
        form.submit();
      });
    })(sliders[k]);
})();
