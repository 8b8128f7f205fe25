#!/usr/bin/env bash
# The tool in Chinese: under LC_ALL=zh_CN.UTF-8 a bookkeeper's session (help,
# organisations, posting, a refused voucher, a refusal of the database, a
# refused import naming its row and column, the trial balance, a fund's status)
# shows no English on the screen: after taking out option names (--debit),
# their values (CODE, FILE), command words, codes, numbers and paths, no
# ASCII word is left.  The refusals still name row, column, voucher and amount.
# The first start of the embedded database says so on a terminal only.
source "$(dirname "$0")/lib.sh"
if ! locale -a 2>/dev/null | grep -qix 'zh_CN.utf8'; then
	echo "FAIL: the zh_CN.UTF-8 locale is missing (locale-gen zh_CN.UTF-8; .ci/do makes it)"
	exit 1
fi
fresh_db test_zh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp" "$out" "$err"' EXIT

# the command words, from the English help: they stay ASCII in any language
words=$(LC_ALL=C.UTF-8 "$CUNJI_BIN" help | awk '/^  [a-z]/ {print $1; print $2; print $3}' |
	grep -E "^[a-z-]+$" | tr "-" "\n" | sort -u | tr '\n' '|')
allowed="${words}cunji|psql|hledger|ledger|cli|csv|json|text|xlsx|pdf|utf|gbk|bom|PostgreSQL"

screen=0
zh() { # zh STATUS [--out TEXT] [--err TEXT] -- cunji args: run in Chinese, keep the screen
	local opts=()
	while [ "$1" != "--" ]; do
		opts+=("$1")
		shift
	done
	shift
	expect "${opts[@]}" -- env LC_ALL=zh_CN.UTF-8 LANGUAGE= "$CUNJI_BIN" --db "$DB" "$@"
	screen=$((screen + 1))
	{ echo "\$ cunji $*"; cat "$out" "$err"; } >"$tmp/screen.$screen"
}

zh 0 --out '用法' -- help
zh 0 --out '选项' -- period close --help
zh 0 --out '已添加县' -- org add --level county --code 360925 --name 靖安县
zh 0 -- org add --level township --code 360925100 --name 双溪镇 --parent 360925
zh 0 --out '已添加村' -- org add --level village --code 360925100201 --name 宝峰村 \
	--parent 360925100 --start 2025-01
zh 0 --out '记字第1号' -- post --village 360925100201 --date 2025-01-05 --summary 收到租金 \
	--debit 102=1200 --credit 501=1200
# a voucher that does not balance names both amounts
zh 1 --err '借方合计 300.00 不等于贷方合计 200.00' -- post --village 360925100201 \
	--date 2025-01-06 --summary 购买办公用品 --debit 521=300 --credit 101=200
zh 0 --out '已结账' -- period close --village 360925100201 --period 2025-01
# the database refuses a closed month (CJ001): its text in Chinese, naming the month
zh 1 --err '2025-01 已结账' -- post --village 360925100201 --date 2025-01-20 \
	--summary 补记 --debit 521=50 --credit 101=50
# an import refused: the row and the column, then nothing posted
cat >"$tmp/v.csv" <<'CSV'
村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额
360925100201,2025-02-03,1,支付电费,521,150.00,
360925100201,2025-02-03,1,支付电费,102,,150.00
360925100201,2025-02-30,2,收到补助,102,500.00,
360925100201,2025-02-30,2,收到补助,999,,500.00
CSV
zh 1 --err '第 4 行，“日期”列' -- import vouchers "$tmp/v.csv"
check_eq "the refused import posted nothing" "$(sql "SELECT count(*) FROM voucher")" 1
zh 0 --out '科目余额表' -- tb --village 360925100201 --period 2025-01
zh 0 -- fund add --village 360925100201 --code F1 --name 道路硬化 --kind 衔接推进乡村振兴补助资金 \
	--source 县 --doc 靖财〔2025〕1号 --amount 100000 --doc-date 2025-01-02
zh 0 --out '进行中' -- fund list --village 360925100201

# the first start of the embedded database says so on a terminal, and is quiet into a pipe
homes=$(mktemp -d /tmp/cunji-zh-XXXXXX)
chmod 755 "$homes" # the server's user (postgres, as root) must reach the homes
first=$(CUNJI_HOME=$homes/tty LC_ALL=zh_CN.UTF-8 script -qec "'$CUNJI_BIN' org list" /dev/null 2>&1)
checks=$((checks + 1))
grep -q '正在创建数据库' <<<"$first" || { echo "FAIL: the first start on a terminal: $first"; failures=$((failures + 1)); }
piped=$(CUNJI_HOME=$homes/pipe LC_ALL=zh_CN.UTF-8 "$CUNJI_BIN" org list 2>&1 | cat)
check_eq "the first start into a pipe says nothing of it" "$(grep -c '正在创建' <<<"$piped")" 0
for h in tty pipe; do CUNJI_HOME=$homes/$h "$CUNJI_BIN" db stop >/dev/null; done
rm -rf "$homes"

# what the screen showed, without what may stay ASCII
checks=$((checks + 1))
english=$(for f in "$tmp"/screen.*; do
	sed 1d "$f" | sed -E 's#--[a-z][a-z0-9-]*##g; s#[^[:space:]]*[/~$][^[:space:]]*##g' |
		grep -oE '[A-Za-z][A-Za-z]+' | grep -vxE "[A-Z0-9_]+|$allowed" |
		sed "s#^#$(head -1 "$f" | cut -c1-60): #"
done | sort -u)
if [ -n "$english" ]; then
	echo "FAIL: English on the screen under zh_CN.UTF-8:"
	sed 's/^/  /' <<<"$english"
	failures=$((failures + 1))
fi
finish
