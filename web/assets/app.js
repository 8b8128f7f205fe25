// cunji web: the voucher form's extra lines and its live 借贷平衡 check.
// The server checks everything again; this only helps while typing.
'use strict';
(function () {
  var form = document.getElementById('entry');
  if (!form) return;
  var body = form.querySelector('table.lines tbody');

  // yuan as bookkeepers type it ("1,234.5", full-width digits) into fen; NaN when not an amount
  function fen(text) {
    var s = text.replace(/[\uff10-\uff19]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xfee0); })
      .replace(/[，,\s¥]/g, '').replace('．', '.');
    if (s === '') return 0;
    if (!/^-?\d+(\.\d{1,2})?$/.test(s)) return NaN;
    var neg = s[0] === '-', parts = s.replace('-', '').split('.');
    var cents = parseInt(parts[0], 10) * 100 + (parts[1] ? parseInt((parts[1] + '0').slice(0, 2), 10) : 0);
    return neg ? -cents : cents;
  }
  function yuan(f) {
    var neg = f < 0, a = Math.abs(f), y = Math.floor(a / 100).toString(), c = ('0' + (a % 100)).slice(-2);
    return (neg ? '-' : '') + y.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + '.' + c;
  }
  function sum(cls) {
    var t = 0;
    form.querySelectorAll('input.' + cls).forEach(function (i) { t += fen(i.value); });
    return t;
  }
  function check() {
    var d = sum('debit'), c = sum('credit'), out = document.getElementById('balance');
    document.getElementById('debit-total').textContent = isNaN(d) ? '金额有误' : yuan(d);
    document.getElementById('credit-total').textContent = isNaN(c) ? '金额有误' : yuan(c);
    if (isNaN(d) || isNaN(c)) { out.textContent = '有金额写得不对'; out.className = 'bad'; }
    else if (d === c && d !== 0) { out.textContent = '借贷平衡'; out.className = 'ok'; }
    else if (d === 0 && c === 0) { out.textContent = ''; out.className = ''; }
    else { out.textContent = '借贷不平衡，差额 ' + yuan(d - c); out.className = 'bad'; }
  }
  document.getElementById('add-line').addEventListener('click', function () {
    var row = body.querySelector('tr.line').cloneNode(true);
    row.querySelectorAll('input').forEach(function (i) { i.value = ''; });
    row.querySelectorAll('.field-error').forEach(function (e) { e.remove(); });
    body.appendChild(row);
    row.querySelector('input').focus();
  });
  // the chosen village's accounts as the account fields' suggestions
  var village = form.querySelector('select[name=village]'), list = document.getElementById('accounts');
  if (village && list) village.addEventListener('change', function () {
    fetch('/accounts?village=' + encodeURIComponent(village.value), { credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (accounts) {
        list.textContent = '';
        accounts.forEach(function (a) {
          var o = document.createElement('option');
          o.value = a.code; o.label = a.name; o.textContent = a.name;
          list.appendChild(o);
        });
      }).catch(function () {});
  });
  form.addEventListener('input', check);
  check();
})();
