#!/usr/bin/env bash
# cunji voucher print: 记账凭证 as PDF, read back with pdftotext -layout.
# Three logins prepare (制单), review (审核) and post (记账) a month of
# vouchers where review is required; the print of one voucher, a range, a
# month and a draft holds every amount whole, 合计 in 大写, the names of the
# three logins in their boxes, 过次页 / 承前页 for a voucher longer than a
# form, a red reversal naming the voucher it voids, and 草稿 · 未记账 on a
# draft; three forms to a page (two with --per-page 2).
# VOUCHER_PRINT_KEEP=DIR keeps the PDFs there (to look at them).
source "$(dirname "$0")/lib.sh"
fresh_db vprinttest
dir=$(mktemp -d)
trap 'rm -f "$out" "$err"; rm -rf "$dir"' EXIT

V=360925100201
A=vpr_zhang
B=vpr_li
C=vpr_wang
cj org add --level county --code 360925 --name 靖安县 >/dev/null
cj org add --level township --code 360925100 --name 双溪镇 --parent 360925 >/dev/null
cj org add --level village --code $V --name 周口村 --parent 360925100 --start 2025-01 >/dev/null
cj account add --village $V --code 102001 --name 农商行 >/dev/null
cj account add --village $V --code 113001 --name 张三户 >/dev/null

# Three logins of 0015: two bookkeepers (alice, carol) who prepare and post,
# a reviewer (bob)
login_add $A 张会计 bookkeeper 360925100
login_add $B 李主管 reviewer 360925100
login_add $C 王会计 bookkeeper 360925100
alice() { as_login $A "$@"; }
bob() { as_login $B "$@"; }
carol() { as_login $C "$@"; }
# the names the boxes print: the login's full name (app_login)
name() { sql "SELECT login_name('$1')"; }
alice post --village $V --date 2025-01-01 --summary 期初余额 --opening --debit 101=10,000.00 \
	--debit 102001=20,000,000.00 --credit 311=20,010,000.00 >/dev/null || echo "FAIL: opening"
sql "INSERT INTO setting (org_id, key, value) SELECT id, 'review_required', 'true'
     FROM org WHERE code = '360925'" >/dev/null

# draft SUMMARY ARGS...: alice prepares a March voucher, bob reviews it, carol posts it
draft() {
	alice post --village $V "$@" >/dev/null || echo "FAIL: post $*"
	sql "SELECT max(id) FROM draft_voucher"
}
pass() { # pass DRAFT: reviewed by bob, posted by carol
	bob voucher review --village $V --draft "$1" >/dev/null || echo "FAIL: review $1"
	carol voucher post --village $V --draft "$1" >/dev/null || echo "FAIL: post $1"
}
D=$(draft --date 2025-03-05 --summary 收到承包费 --attachments 2 \
	--debit '102001=1,200.00' --credit '501=1,200.00;承包户李四')
pass "$D" # 2025-03-1
D=$(draft --date 2025-03-08 --summary 支付工程款 --attachments 5 \
	--debit '153=12,345,678.90' --credit '102001=12,345,678.90')
pass "$D" # 2025-03-2
# eight lines: more than a form of three to a page holds (five)
args=()
for i in 1 2 3 4 5 6 7; do args+=(--debit "513=10$i.0$i;;第${i}组误工补贴"); done
D=$(draft --date 2025-03-20 --summary 发放误工补贴 --attachments 7 "${args[@]}" --credit '101=728.28')
pass "$D" # 2025-03-3
# a red reversal prepared by carol, reviewed by bob, posted by alice
expect 0 --out "草稿" -- carol void --village $V --number 2025-03-1 --date 2025-03-25
D=$(sql "SELECT max(id) FROM draft_voucher")
expect 0 -- bob voucher review --village $V --draft "$D"
expect 0 --out "记字第4号" -- alice voucher post --village $V --draft "$D"
expect 0 --out "草稿" -- alice post --village $V --date 2025-03-28 --summary 收回借款 \
	--debit '101=300.00' --credit '113001=300.00'
D5=$(sql "SELECT max(id) FROM draft_voucher")

pdf() { pdftotext -layout "$1" - 2>/dev/null; }
pages() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ {print $2}'; }
has() { # has FILE TEXT...: the PDF's text holds each
	local f=$1 t
	shift
	pdf "$f" >"$dir/text"
	for t in "$@"; do
		checks=$((checks + 1))
		if ! grep -qF -- "$t" "$dir/text"; then
			echo "FAIL: $(basename "$f") lacks '$t'"; sed 's/^/  pdf: /' "$dir/text" | head -60
			failures=$((failures + 1))
		fi
	done
}
lacks() { # lacks FILE TEXT
	checks=$((checks + 1))
	if pdf "$1" | grep -qF -- "$2"; then
		echo "FAIL: $(basename "$1") holds '$2'"; failures=$((failures + 1))
	fi
}

# ---- one voucher: the form whole
expect 0 --out "1 voucher(s) of $V 周口村 on 1 page(s)" -- \
	cj voucher print --village $V --number 2025-03-1 --out "$dir/one.pdf"
has "$dir/one.pdf" "记 账 凭 证" "单位：周口村" "2025年03月05日" "记字第1号" "附" "据" "张" \
	"摘要" "会计科目" "总账科目" "明细科目" "借方金额" "贷方金额" \
	"收到承包费" "102 银行存款" "102001 农商行" "501 经营收入" "往来：承包户李四" \
	"1,200.00" "合计（大写）：壹仟贰佰元整" \
	"会计主管：" "记账：$(name $C)" "审核：$(name $B)" "出纳：" "制单：$(name $A)"
check_eq "the font embedded" "$(pdffonts "$dir/one.pdf" | awk 'NR > 2 {print $(NF-4)}' | sort -u)" yes

# ---- a large amount whole, and 大写 of it
expect 0 -- cj voucher print --village $V --number 2025-03-2 --out "$dir/big.pdf"
has "$dir/big.pdf" "12,345,678.90" "壹仟贰佰叁拾肆万伍仟陆佰柒拾捌元玖角" "附" "5"

# ---- a voucher longer than a form: 第1/2页, 过次页 and 承前页, 合计 on the last only
expect 0 --out "on 1 page(s)" -- cj voucher print --village $V --number 2025-03-3 --out "$dir/long.pdf"
has "$dir/long.pdf" "第 1/2 页" "第 2/2 页" "过次页" "承前页" "104.04" "513 管理费用" \
	"第7组误工补贴" "107.07" "728.28" "合计（大写）：柒佰贰拾捌元贰角捌分"
check_eq "合计 once" "$(pdf "$dir/long.pdf" | grep -c '合计（大写）')" 1
# two to a page hold eight lines each: one form
expect 0 -- cj voucher print --village $V --number 2025-03-3 --per-page 2 --out "$dir/long2.pdf"
lacks "$dir/long2.pdf" "过次页"
has "$dir/long2.pdf" "合计（大写）：柒佰贰拾捌元贰角捌分"

# ---- the red reversal: negative amounts, naming the voucher it voids
expect 0 -- cj voucher print --village $V --number 2025-03-4 --out "$dir/red.pdf"
has "$dir/red.pdf" "红字冲销 2025-03-1" "冲销2025年03月记字第1号" "-1,200.00" "负壹仟贰佰元整" \
	"记字第4号" "记账：$(name $A)" "审核：$(name $B)" "制单：$(name $C)"

# ---- a range and a month: four posted vouchers (one of two forms), three forms to a page
expect 0 --out "3 voucher(s) of $V 周口村 on 2 page(s)" -- \
	cj voucher print --village $V --from 2025-03-2 --to 2025-03-4 --out "$dir/range.pdf"
lacks "$dir/range.pdf" "2025年03月05日"
has "$dir/range.pdf" "记字第2号" "记字第3号" "记字第4号"
expect 0 --out "4 voucher(s) of $V 周口村 on 2 page(s)" -- \
	cj voucher print --village $V --period 2025-03 --out "$dir/month.pdf"
check_eq "pages of the month" "$(pages "$dir/month.pdf")" 2
lacks "$dir/month.pdf" "草稿"

# ---- drafts: marked, never taken for posted vouchers
expect 0 --out "5 voucher(s)" -- \
	cj voucher print --village $V --period 2025-03 --drafts --out "$dir/drafts.pdf"
has "$dir/drafts.pdf" "草稿$D5" "草稿 · 未记账（待审核）" "收回借款" "300.00" "制单：$(name $A)"
# six forms: two pages of three, three pages of two
check_eq "pages of three forms" "$(pages "$dir/drafts.pdf")" 2
expect 0 --out "5 voucher(s) of $V 周口村 on 3 page(s)" -- \
	cj voucher print --village $V --period 2025-03 --drafts --per-page 2 --out "$dir/drafts2.pdf"
expect 0 -- cj voucher print --village $V --draft "$D5" --out "$dir/draft.pdf"
has "$dir/draft.pdf" "草稿$D5" "未记账" "113 内部往来" "113001 张三户"
lacks "$dir/draft.pdf" "记字第"

# ---- refusals name what is missing; bad usage is usage
expect 1 --err "voucher 2025-03-9" -- cj voucher print --village $V --number 2025-03-9 --out "$dir/x.pdf"
expect 1 --err "no posted voucher in 2025年4月" -- \
	cj voucher print --village $V --period 2025-04 --out "$dir/x.pdf"
expect 1 --err "runs backwards" -- \
	cj voucher print --village $V --from 2025-03-3 --to 2025-03-1 --out "$dir/x.pdf"
expect 1 --err "cannot write $dir/no/x.pdf" -- \
	cj voucher print --village $V --number 2025-03-1 --out "$dir/no/x.pdf"
check_eq "no file left by a refusal" "$(ls "$dir"/x.pdf 2>/dev/null)" ""
expect 2 --err "give one of" -- cj voucher print --village $V --out "$dir/x.pdf"
expect 2 --err "give one of" -- cj voucher print --village $V --number 2025-03-1 --period 2025-03 --out "$dir/x.pdf"
expect 2 --err "--per-page '4'" -- cj voucher print --village $V --number 2025-03-1 --per-page 4 --out "$dir/x.pdf"
expect 2 --err "--drafts goes with --period" -- cj voucher print --village $V --number 2025-03-1 --drafts --out "$dir/x.pdf"
expect 2 --err "--out is required" -- cj voucher print --village $V --number 2025-03-1

if [ -n "${VOUCHER_PRINT_KEEP:-}" ]; then
	mkdir -p "$VOUCHER_PRINT_KEEP" && cp "$dir"/*.pdf "$VOUCHER_PRINT_KEEP"/
fi
finish
