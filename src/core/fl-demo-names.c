/* fl-demo-names.c — word lists and tables of the demo data generator
 *
 * Places are the real county-level divisions of Zhejiang's prefectures with
 * the approximate position of their seats; everything else (people, stores,
 * brands) is made up.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fl-demo-private.h"

#define N_ELEMENTS(a) G_N_ELEMENTS (a)

/* Prefectures and their districts/counties */

static const FlDemoPlace hangzhou[] = {
  { "上城区", "上城", 120.17, 30.25, 4 },
  { "拱墅区", "拱墅", 120.14, 30.32, 4 },
  { "西湖区", "西湖", 120.10, 30.26, 4 },
  { "滨江区", "滨江", 120.20, 30.20, 3 },
  { "萧山区", "萧山", 120.27, 30.18, 5 },
  { "余杭区", "余杭", 119.98, 30.28, 4 },
  { "临平区", "临平", 120.30, 30.42, 3 },
  { "钱塘区", "钱塘", 120.42, 30.30, 2 },
  { "富阳区", "富阳", 119.96, 30.05, 3 },
  { "临安区", "临安", 119.72, 30.23, 2 },
  { "桐庐县", "桐庐", 119.69, 29.80, 1.5 },
  { "淳安县", "淳安", 119.04, 29.61, 1 },
  { "建德市", "建德", 119.28, 29.47, 1.5 },
};

static const FlDemoPlace ningbo[] = {
  { "海曙区", "海曙", 121.55, 29.87, 4 },
  { "江北区", "江北", 121.56, 29.90, 2.5 },
  { "北仑区", "北仑", 121.84, 29.90, 3 },
  { "镇海区", "镇海", 121.60, 29.95, 2 },
  { "鄞州区", "鄞州", 121.55, 29.82, 5 },
  { "奉化区", "奉化", 121.41, 29.66, 2 },
  { "余姚市", "余姚", 121.15, 30.04, 3.5 },
  { "慈溪市", "慈溪", 121.27, 30.17, 4 },
  { "宁海县", "宁海", 121.43, 29.29, 2 },
  { "象山县", "象山", 121.87, 29.48, 2 },
};

static const FlDemoPlace wenzhou[] = {
  { "鹿城区", "鹿城", 120.65, 28.02, 4 },
  { "龙湾区", "龙湾", 120.76, 27.93, 2.5 },
  { "瓯海区", "瓯海", 120.64, 27.97, 3 },
  { "洞头区", "洞头", 121.16, 27.84, 0.5 },
  { "瑞安市", "瑞安", 120.65, 27.78, 4 },
  { "乐清市", "乐清", 120.98, 28.11, 4 },
  { "龙港市", "龙港", 120.55, 27.58, 2 },
  { "永嘉县", "永嘉", 120.69, 28.15, 2.5 },
  { "平阳县", "平阳", 120.57, 27.66, 2.5 },
  { "苍南县", "苍南", 120.43, 27.52, 2.5 },
  { "文成县", "文成", 120.09, 27.79, 0.8 },
  { "泰顺县", "泰顺", 119.72, 27.56, 0.8 },
};

static const FlDemoPlace jiaxing[] = {
  { "南湖区", "南湖", 120.78, 30.75, 3 },
  { "秀洲区", "秀洲", 120.71, 30.76, 2.5 },
  { "海宁市", "海宁", 120.68, 30.51, 3 },
  { "平湖市", "平湖", 121.02, 30.70, 2 },
  { "桐乡市", "桐乡", 120.57, 30.63, 3 },
  { "嘉善县", "嘉善", 120.93, 30.83, 2 },
  { "海盐县", "海盐", 120.95, 30.53, 1.5 },
};

static const FlDemoPlace huzhou[] = {
  { "吴兴区", "吴兴", 120.09, 30.87, 3.5 },
  { "南浔区", "南浔", 120.42, 30.85, 2 },
  { "德清县", "德清", 119.98, 30.54, 2 },
  { "长兴县", "长兴", 119.91, 31.01, 2.5 },
  { "安吉县", "安吉", 119.68, 30.64, 2 },
};

static const FlDemoPlace shaoxing[] = {
  { "越城区", "越城", 120.58, 30.00, 3.5 },
  { "柯桥区", "柯桥", 120.49, 30.08, 3.5 },
  { "上虞区", "上虞", 120.87, 30.03, 3 },
  { "诸暨市", "诸暨", 120.24, 29.71, 3.5 },
  { "嵊州市", "嵊州", 120.83, 29.59, 2 },
  { "新昌县", "新昌", 120.90, 29.50, 1.5 },
};

static const FlDemoPlace jinhua[] = {
  { "婺城区", "婺城", 119.65, 29.08, 3 },
  { "金东区", "金东", 119.69, 29.10, 2 },
  { "兰溪市", "兰溪", 119.46, 29.21, 2 },
  { "义乌市", "义乌", 120.08, 29.31, 5 },
  { "东阳市", "东阳", 120.24, 29.29, 3 },
  { "永康市", "永康", 120.05, 28.89, 3 },
  { "武义县", "武义", 119.82, 28.89, 1.5 },
  { "浦江县", "浦江", 119.89, 29.45, 1.5 },
  { "磐安县", "磐安", 120.45, 29.05, 0.8 },
};

static const FlDemoPlace quzhou[] = {
  { "柯城区", "柯城", 118.87, 28.94, 3 },
  { "衢江区", "衢江", 118.96, 28.98, 2 },
  { "江山市", "江山", 118.63, 28.74, 2 },
  { "常山县", "常山", 118.51, 28.90, 1.2 },
  { "开化县", "开化", 118.41, 29.14, 1 },
  { "龙游县", "龙游", 119.17, 29.03, 1.5 },
};

static const FlDemoPlace zhoushan[] = {
  { "定海区", "定海", 122.11, 30.02, 4 },
  { "普陀区", "普陀", 122.30, 29.95, 3 },
  { "岱山县", "岱山", 122.20, 30.24, 1.5 },
  { "嵊泗县", "嵊泗", 122.45, 30.73, 0.6 },
};

static const FlDemoPlace taizhou[] = {
  { "椒江区", "椒江", 121.44, 28.67, 3 },
  { "黄岩区", "黄岩", 121.26, 28.65, 2.5 },
  { "路桥区", "路桥", 121.37, 28.58, 2.5 },
  { "临海市", "临海", 121.14, 28.86, 3 },
  { "温岭市", "温岭", 121.39, 28.37, 4 },
  { "玉环市", "玉环", 121.23, 28.14, 2 },
  { "三门县", "三门", 121.38, 29.10, 1.2 },
  { "天台县", "天台", 121.01, 29.14, 1.5 },
  { "仙居县", "仙居", 120.73, 28.85, 1.5 },
};

static const FlDemoPlace lishui[] = {
  { "莲都区", "莲都", 119.92, 28.45, 3 },
  { "龙泉市", "龙泉", 119.14, 28.07, 1.5 },
  { "青田县", "青田", 120.29, 28.14, 1.8 },
  { "缙云县", "缙云", 120.09, 28.66, 1.6 },
  { "遂昌县", "遂昌", 119.28, 28.59, 1 },
  { "松阳县", "松阳", 119.48, 28.45, 1 },
  { "云和县", "云和", 119.57, 28.11, 0.8 },
  { "庆元县", "庆元", 119.06, 27.62, 0.7 },
  { "景宁畲族自治县", "景宁", 119.64, 27.97, 0.6 },
};

/* Category indices: 0 dairy, 1 snacks, 2 beverages, 3 frozen, 4 condiments, 5 grain_oil.
 * The profiles give roughly 4 green, 4 yellow and 3 red cities:
 * 杭州 stall; 温州 churn + frozen gap; 湖州 dairy gap; 金华 churn + stall +
 * beverage gap; 衢州 churn; 台州 stall + snack gap; 丽水 stall. */
#define CITY(code, name, weight, p, drift, stall, gap, late, places) \
  { code, name, weight, { p, drift, stall, gap, late }, places, N_ELEMENTS (places) }

const FlDemoCity _fl_demo_cities[] = {
  CITY ("330100", "杭州", 17.0, 0.08, 0.0,   0.20, -1, 0.03, hangzhou),
  CITY ("330200", "宁波", 14.0, 0.07, 0.0,   0.0,  -1, 0.02, ningbo),
  CITY ("330300", "温州", 13.0, 0.15, 0.022, 0.0,   3, 0.06, wenzhou),
  CITY ("330400", "嘉兴",  8.0, 0.07, 0.0,   0.0,  -1, 0.03, jiaxing),
  CITY ("330500", "湖州",  5.5, 0.09, 0.0,   0.0,   0, 0.04, huzhou),
  CITY ("330600", "绍兴",  8.5, 0.06, 0.0,   0.0,  -1, 0.02, shaoxing),
  CITY ("330700", "金华", 10.0, 0.16, 0.02,  0.20,  2, 0.07, jinhua),
  CITY ("330800", "衢州",  4.0, 0.14, 0.025, 0.0,  -1, 0.05, quzhou),
  CITY ("330900", "舟山",  2.5, 0.08, 0.0,   0.0,  -1, 0.03, zhoushan),
  CITY ("331000", "台州", 10.0, 0.10, 0.0,   0.22,  1, 0.05, taizhou),
  CITY ("331100", "丽水",  3.5, 0.09, 0.0,   0.20, -1, 0.04, lishui),
};
const guint _fl_demo_n_cities = N_ELEMENTS (_fl_demo_cities);

/* Products */

const FlDemoCategory _fl_demo_categories[] = {
  { "dairy",      "乳制品",   "乳品", 1800.0, 0.32, 0.20 },
  { "snacks",     "休闲零食", "零食", 1200.0, 0.38, 0.20 },
  { "beverages",  "饮料",     "饮料", 1500.0, 0.35, 0.19 },
  { "frozen",     "速冻食品", "冻品", 2200.0, 0.25, 0.15 },
  { "condiments", "调味品",   "调味品", 900.0, 0.42, 0.13 },
  { "grain_oil",  "粮油",     "粮油", 3000.0, 0.28, 0.13 },
};
const guint _fl_demo_n_categories = N_ELEMENTS (_fl_demo_categories);

const FlDemoProduct _fl_demo_products[] = {
  { "高钙鲜牛奶 950ml", 0 },
  { "纯牛奶 250ml×24 整箱", 0 },
  { "原味风味发酵乳", 0 },
  { "儿童奶酪棒", 0 },
  { "低脂高钙奶粉 400g", 0 },
  { "海苔脆片", 1 },
  { "每日坚果 30 日装", 1 },
  { "手撕牛肉干", 1 },
  { "麻辣豆干", 1 },
  { "椒盐苏打饼干", 1 },
  { "冰红茶 1L", 2 },
  { "无糖乌龙茶 500ml", 2 },
  { "柠檬气泡水", 2 },
  { "生榨椰汁 1.25L", 2 },
  { "NFC 鲜榨橙汁", 2 },
  { "三鲜水饺 1kg", 3 },
  { "宁波黑芝麻汤圆", 3 },
  { "原味手抓饼", 3 },
  { "鲜肉小笼包", 3 },
  { "速冻虾仁 500g", 3 },
  { "特级生抽 1.9L", 4 },
  { "镇江香醋", 4 },
  { "绍兴料酒", 4 },
  { "鲜味蚝油", 4 },
  { "鸡精 454g", 4 },
  { "东北长粒香大米 5kg", 5 },
  { "压榨花生油 5L", 5 },
  { "浓香菜籽油 5L", 5 },
  { "高筋小麦粉 5kg", 5 },
  { "五常稻花香大米 10kg", 5 },
};
const guint _fl_demo_n_products = N_ELEMENTS (_fl_demo_products);

/* People */

const char * const _fl_demo_surnames[] = {
  "陈", "王", "张", "李", "周", "吴", "徐", "金", "朱", "林",
  "胡", "杨", "黄", "沈", "郑", "钱", "叶", "何", "俞", "潘",
  "方", "刘", "赵", "孙", "马", "蒋", "许", "楼", "应", "邵",
  "汪", "毛", "项", "傅", "陆", "施", "姚", "戴", "章", "郭",
  "吕", "顾", "丁", "蔡", "余", "程", "范", "严", "汤", "韩",
  "董", "曹", "冯", "谢", "卢", "袁", "宋", "鲍", "虞", "卓",
  "洪", "梁", "罗", "唐", "高", "夏", "邱", "缪", "屠", "娄",
};
const guint _fl_demo_n_surnames = N_ELEMENTS (_fl_demo_surnames);

const char * const _fl_demo_given_male[] = {
  "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明",
  "辉", "鹏", "浩", "俊", "峰", "建华", "志强", "建军", "海峰", "晓东",
  "国强", "文斌", "振宇", "宇航", "浩然", "家豪", "志伟", "伟民", "建平", "永康",
  "立新", "海涛", "晓峰", "俊杰", "国平", "卫东", "建国", "一鸣", "天翔", "子豪",
  "学军", "鑫", "凯", "亮", "刚", "健", "洋", "帆", "博文", "铭",
  "金龙", "旭东", "宏伟", "春雷", "利华", "德明", "叶青", "锦程", "嘉诚", "思远",
};
const guint _fl_demo_n_given_male = N_ELEMENTS (_fl_demo_given_male);

const char * const _fl_demo_given_female[] = {
  "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "婷", "雪",
  "琳", "慧", "晶", "燕", "倩", "佳怡", "晓燕", "丽萍", "雅琴", "梦瑶",
  "诗涵", "欣怡", "秀英", "美玲", "丽华", "素芬", "海燕", "春燕", "晓红", "玉兰",
  "思琪", "雨欣", "佳琪", "婉婷", "晓丽", "红梅", "雅婷", "文静", "嘉怡", "亚萍",
};
const guint _fl_demo_n_given_female = N_ELEMENTS (_fl_demo_given_female);

/* Stores */

const char * const _fl_demo_brands[] = {
  "华联", "联华", "好又多", "佳惠", "万家福", "百佳", "家家乐", "惠民", "鑫源", "福源",
  "永盛", "兴隆", "金鑫", "顺发", "宏达", "丰收", "乐购", "优选", "如意", "吉祥",
  "恒丰", "万隆", "新世纪", "百汇", "一品", "喜乐", "众惠", "邻里", "家和", "康乐",
  "利民", "便民", "天天", "美佳", "诚信", "富民", "四季", "新华", "江南", "东方",
  "旺财", "聚福", "鸿运", "大众", "红星", "阳光", "好邻居", "好日子", "万客隆", "福满多",
  "金穗", "丰源", "瑞丰", "合兴", "德润", "泰和", "春晖", "同福", "新亚", "欧尚美",
};
const guint _fl_demo_n_brands = N_ELEMENTS (_fl_demo_brands);

static const char * const store_types_a[] = {
  "超市", "购物广场", "连锁超市", "食品批发部", "生活超市",
};
static const char * const store_types_b[] = {
  "超市", "食品商行", "批发部", "生鲜超市", "便利超市", "副食品商店",
};
static const char * const store_types_c[] = {
  "便利店", "小卖部", "烟酒商行", "餐饮店", "副食店", "小吃店", "食品店", "快餐店",
};
const char * const *_fl_demo_store_types[3] = {
  store_types_a, store_types_b, store_types_c,
};
const guint _fl_demo_n_store_types[3] = {
  N_ELEMENTS (store_types_a), N_ELEMENTS (store_types_b), N_ELEMENTS (store_types_c),
};

const char * const _fl_demo_branch_suffixes[] = {
  "（城东店）", "（城西店）", "（城南店）", "（城北店）", "（中心店）", "（新街店）",
  "（火车站店）", "（人民路店）", "（解放路店）", "（二店）", "（三店）", "（新区店）",
};
const guint _fl_demo_n_branch_suffixes = N_ELEMENTS (_fl_demo_branch_suffixes);

/* Visits */

const char * const _fl_demo_pain_keywords[] = {
  "缺货", "竞品压价", "临期品", "账期紧", "陈列位置差", "新品不动销",
  "促销支持不足", "物流慢", "价格倒挂", "退换货难", "冰柜不足", "进场费高",
};
const guint _fl_demo_n_pain_keywords = N_ELEMENTS (_fl_demo_pain_keywords);

static const char * const actions_out_of_stock[] = {
  "周五前补货到位并核对安全库存", "明天上午安排专车补货", "按周销量重新核定订货量", NULL,
};
static const char * const actions_competitor[] = {
  "申请一档特价对标竞品", "下次拜访带促销方案和竞品比价表", "提交竞品价格给区域经理复核", NULL,
};
static const char * const actions_expiring[] = {
  "本周内办理临期品调换", "临期品做买一赠一快速清理", "调整先进先出陈列并登记批次", NULL,
};
static const char * const actions_credit[] = {
  "与财务沟通账期延长一周", "下周一前确认分期回款计划", NULL,
};
static const char * const actions_display[] = {
  "周三前重新调整端架陈列", "申请堆头位并拍照回传", "补齐价签和陈列物料", NULL,
};
static const char * const actions_new_product[] = {
  "周末安排新品试吃活动", "给店员做新品卖点培训", "新品搭配畅销品组合陈列", NULL,
};
static const char * const actions_promotion[] = {
  "申请堆头费用和买赠物料", "下周带促销海报和赠品上门", NULL,
};
static const char * const actions_logistics[] = {
  "协调物流改为隔日达", "确认固定配送时段并告知店主", NULL,
};
static const char * const actions_price_inversion[] = {
  "核实渠道价格并上报价格倒挂", "与店主核对进货价并调整建议零售价", NULL,
};
static const char * const actions_returns[] = {
  "三天内上门办理退换货", "整理退货清单提交仓库审批", NULL,
};
static const char * const actions_freezer[] = {
  "申请投放一台品牌冰柜", "协调冰柜维修并补充冻品陈列", NULL,
};
static const char * const actions_entry_fee[] = {
  "申请进场费分摊方案", "用新品首单返利抵扣部分进场费", NULL,
};

const char * const *_fl_demo_keyword_actions[] = {
  actions_out_of_stock, actions_competitor, actions_expiring, actions_credit,
  actions_display, actions_new_product, actions_promotion, actions_logistics,
  actions_price_inversion, actions_returns, actions_freezer, actions_entry_fee,
};
G_STATIC_ASSERT (N_ELEMENTS (_fl_demo_keyword_actions) == N_ELEMENTS (_fl_demo_pain_keywords));

const char * const _fl_demo_generic_actions[] = {
  "整理订货清单并确认下周订单",
  "下次拜访带新品样品",
  "本周内回传陈列照片",
  "约店主下周二面谈年度合作",
  "补充客户档案并更新联系人",
  "下次拜访前准备动销数据",
};
const guint _fl_demo_n_generic_actions = N_ELEMENTS (_fl_demo_generic_actions);

const char * const _fl_demo_no_action = "常规巡店，暂无新增承诺";

const char * const _fl_demo_pilot_titles[] = {
  "新品试吃话术",
  "冻品进社区话术",
  "乳品早餐场景话术",
  "粮油团购话术",
  "饮料冰柜陈列话术",
  "调味品餐饮渠道话术",
  "零食节日礼盒话术",
  "竞品压价应对话术",
};
const guint _fl_demo_n_pilot_titles = N_ELEMENTS (_fl_demo_pilot_titles);

const char * const _fl_demo_phone_prefixes[] = {
  "130", "131", "132", "133", "135", "136", "137", "138", "139", "150",
  "151", "152", "153", "155", "157", "158", "159", "177", "180", "181",
  "182", "183", "186", "187", "188", "189", "198", "199",
};
const guint _fl_demo_n_phone_prefixes = N_ELEMENTS (_fl_demo_phone_prefixes);
