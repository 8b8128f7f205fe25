-- 0002_chart_2023.sql - the standard chart of the 2023 system
-- 《农村集体经济组织会计制度》(财会〔2023〕14号): 42 first-level accounts.
--
-- This file is data: a corrected code or name is an edit here (in a new
-- migration once released), never a change to C.  Codes follow a third-party
-- transcription of the official list (see ../shared/domain.md §1.2); check
-- them against the official text before release.  Contra-asset accounts
-- (133, 152, 162) carry credit balances.  322001/322002 are the standard
-- sub-accounts of 收益分配 that the year-end close uses.
--
-- category: asset 资产, liability 负债, equity 所有者权益, cost 成本,
--           income 损益(收入), expense 损益(支出)
INSERT INTO chart_template (chart, code, name, category, normal_side) VALUES
	('2023', '101', '库存现金',               'asset',     'D'),
	('2023', '102', '银行存款',               'asset',     'D'),
	('2023', '111', '短期投资',               'asset',     'D'),
	('2023', '112', '应收款',                 'asset',     'D'),
	('2023', '113', '内部往来',               'asset',     'D'),
	('2023', '121', '库存物资',               'asset',     'D'),
	('2023', '131', '消耗性生物资产',         'asset',     'D'),
	('2023', '132', '生产性生物资产',         'asset',     'D'),
	('2023', '133', '生产性生物资产累计折旧', 'asset',     'C'),
	('2023', '134', '公益性生物资产',         'asset',     'D'),
	('2023', '141', '长期投资',               'asset',     'D'),
	('2023', '151', '固定资产',               'asset',     'D'),
	('2023', '152', '累计折旧',               'asset',     'C'),
	('2023', '153', '在建工程',               'asset',     'D'),
	('2023', '154', '固定资产清理',           'asset',     'D'),
	('2023', '161', '无形资产',               'asset',     'D'),
	('2023', '162', '累计摊销',               'asset',     'C'),
	('2023', '171', '长期待摊费用',           'asset',     'D'),
	('2023', '181', '待处理财产损溢',         'asset',     'D'),
	('2023', '201', '短期借款',               'liability', 'C'),
	('2023', '211', '应付款',                 'liability', 'C'),
	('2023', '212', '应付工资',               'liability', 'C'),
	('2023', '213', '应付劳务费',             'liability', 'C'),
	('2023', '214', '应交税费',               'liability', 'C'),
	('2023', '221', '长期借款及应付款',       'liability', 'C'),
	('2023', '231', '一事一议资金',           'liability', 'C'),
	('2023', '241', '专项应付款',             'liability', 'C'),
	('2023', '301', '资本',                   'equity',    'C'),
	('2023', '311', '公积公益金',             'equity',    'C'),
	('2023', '321', '本年收益',               'equity',    'C'),
	('2023', '322', '收益分配',               'equity',    'C'),
	('2023', '322001', '未分配收益',          'equity',    'C'),
	('2023', '322002', '各项分配',            'equity',    'C'),
	('2023', '401', '生产(劳务)成本',         'cost',      'D'),
	('2023', '501', '经营收入',               'income',    'C'),
	('2023', '502', '投资收益',               'income',    'C'),
	('2023', '503', '补助收入',               'income',    'C'),
	('2023', '504', '其他收入',               'income',    'C'),
	('2023', '511', '经营支出',               'expense',   'D'),
	('2023', '512', '税金及附加',             'expense',   'D'),
	('2023', '513', '管理费用',               'expense',   'D'),
	('2023', '514', '公益支出',               'expense',   'D'),
	('2023', '515', '其他支出',               'expense',   'D'),
	('2023', '521', '所得税费用',             'expense',   'D');
