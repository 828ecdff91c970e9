<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ar" sourcelanguage="en">
<context>
    <name>CounterScreenWindow</name>
    <message>
        <source>Counter</source>
        <translation>الكاونتر</translation>
    </message>
    <message>
        <source>Reconnecting to the centre…</source>
        <translation>جارٍ إعادة الاتصال بالمركز…</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>تخطي</translation>
    </message>
    <message>
        <source>How was our service today?</source>
        <translation>كيف كانت خدمتنا اليوم؟</translation>
    </message>
    <message>
        <source>Thank you</source>
        <translation>شكراً</translation>
    </message>
    <message>
        <source>Very unhappy</source>
        <translation>غير راضٍ إطلاقاً</translation>
    </message>
    <message>
        <source>Unhappy</source>
        <translation>غير راضٍ</translation>
    </message>
    <message>
        <source>Neither</source>
        <translation>محايد</translation>
    </message>
    <message>
        <source>Happy</source>
        <translation>راضٍ</translation>
    </message>
    <message>
        <source>Very happy</source>
        <translation>راضٍ جداً</translation>
    </message>
    <message>
        <source>This counter is closed</source>
        <translation>هذا الكاونتر مغلق</translation>
    </message>
    <message>
        <source>Please wait for your number</source>
        <translation>يرجى انتظار رقمك</translation>
    </message>
    <message>
        <source>Now serving</source>
        <translation>قيد الخدمة الآن</translation>
    </message>
    <message>
        <source>Please come to this counter</source>
        <translation>يرجى التقدم إلى هذا الكاونتر</translation>
    </message>
</context>
<context>
    <name>CounterViewModel</name>
    <message>
        <source>Type your staff id.</source>
        <translation>اكتب رقم الموظف.</translation>
    </message>
    <message>
        <source>Signed out. The counter is closed.</source>
        <translation>تم تسجيل الخروج وأُغلق الكاونتر.</translation>
    </message>
    <message>
        <source>Nobody is waiting for this counter.</source>
        <translation>لا يوجد أحد في الانتظار لهذا الكاونتر.</translation>
    </message>
    <message>
        <source>You were signed out of this counter elsewhere.</source>
        <translation>تم تسجيل خروجك من هذا الكاونتر من جهاز آخر.</translation>
    </message>
</context>
<context>
    <name>CounterWindow</name>
    <message>
        <source>Taboor — counter %1</source>
        <translation>طابور — الكاونتر %1</translation>
    </message>
    <message>
        <source>Counter %1</source>
        <translation>الكاونتر %1</translation>
    </message>
    <message>
        <source>Current ticket</source>
        <translation>التذكرة الحالية</translation>
    </message>
    <message>
        <source>Appointment</source>
        <translation>الموعد</translation>
    </message>
    <message>
        <source>Waiting for this counter:</source>
        <translation>في الانتظار لهذا الكاونتر:</translation>
    </message>
    <message>
        <source>On break</source>
        <translation>في استراحة</translation>
    </message>
    <message>
        <source>F1 calls the next visitor and ends the break; F9 ends it.</source>
        <translation>اضغط F1 لنداء المراجع التالي وإنهاء الاستراحة، أو F9 لإنهائها.</translation>
    </message>
    <message>
        <source>Call next</source>
        <translation>نداء التالي</translation>
    </message>
    <message>
        <source>Recall</source>
        <translation>إعادة النداء</translation>
    </message>
    <message>
        <source>Start serving</source>
        <translation>بدء الخدمة</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>إنهاء</translation>
    </message>
    <message>
        <source>No-show</source>
        <translation>لم يحضر</translation>
    </message>
    <message>
        <source>Done and call next</source>
        <translation>إنهاء ونداء التالي</translation>
    </message>
    <message>
        <source>Transfer…</source>
        <translation>تحويل…</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>تسجيل الخروج</translation>
    </message>
    <message>
        <source>Offline: reconnecting…</source>
        <translation>غير متصل: جارٍ إعادة الاتصال…</translation>
    </message>
    <message>
        <source>Sign in to counter %1</source>
        <translation>تسجيل الدخول إلى الكاونتر %1</translation>
    </message>
    <message>
        <source>No staff accounts yet: add one with %1</source>
        <translation>لا توجد حسابات موظفين بعد: أضف حساباً بالأمر %1</translation>
    </message>
    <message>
        <source>%1 is signed in at this counter: type the PIN to go on.</source>
        <translation>الموظف %1 مسجّل الدخول في هذا الكاونتر: اكتب الرمز السري للمتابعة.</translation>
    </message>
    <message>
        <source>Too many wrong PINs: wait %1 s.</source>
        <translation>محاولات خاطئة كثيرة: انتظر %1 ثانية.</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>مفتوح</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>مغلق</translation>
    </message>
    <message>
        <source>Serving</source>
        <translation>قيد الخدمة</translation>
    </message>
    <message>
        <source>Calling</source>
        <translation>جارٍ النداء</translation>
    </message>
    <message>
        <source>No ticket. Press F1 to call the next visitor.</source>
        <translation>لا توجد تذكرة. اضغط F1 لنداء المراجع التالي.</translation>
    </message>
    <message>
        <source>The counter is closed. F8 opens it; F1 opens it and calls.</source>
        <translation>الكاونتر مغلق. F8 يفتحه، وF1 يفتحه وينادي.</translation>
    </message>
    <message>
        <source>Being served</source>
        <translation>قيد الخدمة</translation>
    </message>
    <message>
        <source>Called, waiting for the visitor</source>
        <translation>تم النداء، بانتظار المراجع</translation>
    </message>
    <message>
        <source>Called again (%1), waiting for the visitor</source>
        <translation>أُعيد النداء (%1)، بانتظار المراجع</translation>
    </message>
    <message>
        <source>Since %1</source>
        <translation>منذ %1</translation>
    </message>
    <message>
        <source>Check the visitor&apos;s booking before serving</source>
        <translation>تحقق من حجز المراجع قبل تقديم الخدمة</translation>
    </message>
    <message>
        <source>Checked in while the central system was unreachable; no booking was found.</source>
        <translation>سُجّل الحضور أثناء انقطاع الاتصال بالنظام المركزي، ولم يُعثر على حجز.</translation>
    </message>
    <message>
        <source>Booking %1, from %2 to %3</source>
        <translation>الحجز %1، من %2 إلى %3</translation>
    </message>
    <message>
        <source>CPR %1</source>
        <translation>الرقم الشخصي %1</translation>
    </message>
    <message>
        <source>Open counter</source>
        <translation>فتح الكاونتر</translation>
    </message>
    <message>
        <source>Close counter</source>
        <translation>إغلاق الكاونتر</translation>
    </message>
    <message>
        <source>End break</source>
        <translation>إنهاء الاستراحة</translation>
    </message>
    <message>
        <source>Break</source>
        <translation>استراحة</translation>
    </message>
    <message>
        <source>%1: %2 waiting, about %3 min</source>
        <translation>%1: %2 في الانتظار، حوالي %3 دقيقة</translation>
    </message>
    <message>
        <source>%1: %2 waiting</source>
        <translation>%1: %2 في الانتظار</translation>
    </message>
    <message>
        <source>Please wait…</source>
        <translation>يرجى الانتظار…</translation>
    </message>
</context>
<context>
    <name>HallWindow</name>
    <message>
        <source>Now calling</source>
        <translation>النداء الحالي</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>الكاونتر</translation>
    </message>
    <message>
        <source>Last calls</source>
        <translation>النداءات السابقة</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>التذكرة</translation>
    </message>
    <message>
        <source>Take your ticket on your phone</source>
        <translation>خذ تذكرتك على هاتفك</translation>
    </message>
    <message>
        <source>Reconnecting to the centre… numbers may be late</source>
        <translation>جارٍ إعادة الاتصال بالمركز… قد تتأخر الأرقام</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>في الانتظار</translation>
    </message>
    <message>
        <source>paused for now</source>
        <translation>متوقفة مؤقتًا</translation>
    </message>
    <message>
        <source>no wait</source>
        <translation>بدون انتظار</translation>
    </message>
    <message>
        <source>about %1 min</source>
        <translation>حوالي %1 دقيقة</translation>
    </message>
</context>
<context>
    <name>Kiosk</name>
    <message>
        <source>Welcome. How can we help you?</source>
        <extracomment>The least size of anything a finger presses: 15 mm, never under this many pixels.</extracomment>
        <translation>أهلاً بكم. كيف يمكننا مساعدتكم؟</translation>
    </message>
    <message>
        <source>I have an appointment</source>
        <translation>لدي موعد</translation>
    </message>
    <message>
        <source>Take a ticket</source>
        <translation>أخذ تذكرة</translation>
    </message>
    <message>
        <source>Or scan your booking QR code at any time</source>
        <translation>أو امسح رمز QR الخاص بحجزك في أي وقت</translation>
    </message>
    <message>
        <source>Standard view</source>
        <translation>العرض العادي</translation>
    </message>
    <message>
        <source>Larger text and easier reach</source>
        <translation>خط أكبر ووصول أسهل</translation>
    </message>
    <message>
        <source>One moment please…</source>
        <translation>لحظة من فضلك…</translation>
    </message>
    <message>
        <source>Type your CPR number</source>
        <translation>أدخل رقمك الشخصي</translation>
    </message>
    <message>
        <source>9 digits, as on your identity card</source>
        <translation>٩ أرقام، كما في بطاقة الهوية</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>مسح</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>رجوع</translation>
    </message>
    <message>
        <source>Check in</source>
        <translation>تسجيل الحضور</translation>
    </message>
    <message>
        <source>You have several appointments today. Choose one:</source>
        <translation>لديك أكثر من موعد اليوم. اختر موعداً:</translation>
    </message>
    <message>
        <source>%1 at %2</source>
        <translation>%1 الساعة %2</translation>
    </message>
    <message>
        <source>We cannot reach the booking system just now. Choose the service of your appointment:</source>
        <translation>يتعذر الوصول إلى نظام المواعيد حالياً. اختر خدمة موعدك:</translation>
    </message>
    <message>
        <source>Choose a service</source>
        <translation>اختر الخدمة</translation>
    </message>
    <message>
        <source>%1
No more tickets today</source>
        <translation>%1
انتهت تذاكر اليوم</translation>
    </message>
    <message>
        <source>%1
Paused for now</source>
        <translation>%1
متوقفة مؤقتاً</translation>
    </message>
    <message>
        <source>Priority service (optional):</source>
        <translation>خدمة الأولوية (اختياري):</translation>
    </message>
    <message>
        <source>No priority</source>
        <translation>بدون أولوية</translation>
    </message>
    <message>
        <source>Elderly</source>
        <translation>كبار السن</translation>
    </message>
    <message>
        <source>Disability</source>
        <translation>ذوو الإعاقة</translation>
    </message>
    <message>
        <source>Pregnant</source>
        <translation>الحوامل</translation>
    </message>
    <message>
        <source>Show it on my phone instead of printing</source>
        <translation>اعرضها على هاتفي بدلاً من الطباعة</translation>
    </message>
    <message>
        <source>Your number</source>
        <translation>رقمك</translation>
    </message>
    <message>
        <source>People ahead of you: %1 · Estimated wait: %2 min</source>
        <translation>عدد المنتظرين قبلك: %1 · مدة الانتظار المتوقعة: %2 دقيقة</translation>
    </message>
    <message>
        <source>People ahead of you: %1</source>
        <translation>عدد المنتظرين قبلك: %1</translation>
    </message>
    <message>
        <source>Please take a seat and watch the screen for your number.</source>
        <translation>تفضل بالجلوس وتابع ظهور رقمك على الشاشة.</translation>
    </message>
    <message>
        <source>The printer is not working. Photograph this number and code and keep it.</source>
        <translation>الطابعة لا تعمل. صوّر هذا الرقم والرمز واحتفظ بهما.</translation>
    </message>
    <message>
        <source>Your ticket is printing below.</source>
        <translation>تُطبع تذكرتك في الأسفل.</translation>
    </message>
    <message>
        <source>Scan with your phone camera to follow your ticket</source>
        <translation>امسح الرمز بكاميرا هاتفك لمتابعة تذكرتك</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>تم</translation>
    </message>
    <message>
        <source>Take a walk-in ticket</source>
        <translation>أخذ تذكرة بدون موعد</translation>
    </message>
    <message>
        <source>Back to start</source>
        <translation>العودة إلى البداية</translation>
    </message>
    <message>
        <source>The centre is closed now</source>
        <translation>المركز مغلق الآن</translation>
    </message>
    <message>
        <source>We open on %1 at %2.</source>
        <translation>نفتح يوم %1 الساعة %2.</translation>
    </message>
    <message>
        <source>Staff PIN</source>
        <translation>الرقم السري للموظفين</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>إلغاء</translation>
    </message>
    <message>
        <source>Text me when my turn is near</source>
        <translation>أرسل لي رسالة عند اقتراب دوري</translation>
    </message>
    <message>
        <source>We will text you at %1 when your turn is near.</source>
        <translation>سنرسل لك رسالة على %1 عند اقتراب دورك.</translation>
    </message>
    <message>
        <source>This centre does not send texts. Please watch the screen for your number.</source>
        <translation>لا يرسل هذا المركز رسائل نصية. يرجى متابعة الشاشة لمعرفة دورك.</translation>
    </message>
    <message>
        <source>The centre cannot be reached now; your ticket is still valid.</source>
        <translation>لا يمكن الوصول إلى المركز الآن؛ تذكرتك لا تزال صالحة.</translation>
    </message>
    <message>
        <source>This ticket has ended: no texts will be sent.</source>
        <translation>انتهت هذه التذكرة: لن تُرسل أي رسائل.</translation>
    </message>
    <message>
        <source>We could not keep your number now; your ticket is still valid.</source>
        <translation>تعذّر حفظ رقمك الآن؛ تذكرتك لا تزال صالحة.</translation>
    </message>
    <message>
        <source>Type your mobile number</source>
        <translation>اكتب رقم هاتفك المحمول</translation>
    </message>
    <message>
        <source>This number cannot get texts. Please check it.</source>
        <translation>لا يمكن إرسال رسائل إلى هذا الرقم. يرجى التحقق منه.</translation>
    </message>
    <message>
        <source>8 digits for a Bahraini mobile, or 00 and the country code</source>
        <translation>8 أرقام للهاتف البحريني، أو 00 ثم رمز الدولة</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>إرسال</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>موافق</translation>
    </message>
    <message>
        <source>Monday</source>
        <translation>الاثنين</translation>
    </message>
    <message>
        <source>Tuesday</source>
        <translation>الثلاثاء</translation>
    </message>
    <message>
        <source>Wednesday</source>
        <translation>الأربعاء</translation>
    </message>
    <message>
        <source>Thursday</source>
        <translation>الخميس</translation>
    </message>
    <message>
        <source>Friday</source>
        <translation>الجمعة</translation>
    </message>
    <message>
        <source>Saturday</source>
        <translation>السبت</translation>
    </message>
    <message>
        <source>Sunday</source>
        <translation>الأحد</translation>
    </message>
</context>
<context>
    <name>KioskMessages</name>
    <message>
        <source>Something went wrong. Please ask at the reception desk.</source>
        <translation>حدث خطأ. يرجى مراجعة مكتب الاستقبال.</translation>
    </message>
    <message>
        <source>You are early: check-in for your appointment opens at %1.</source>
        <translation>حضرت مبكراً: يبدأ تسجيل الحضور لموعدك الساعة %1.</translation>
    </message>
    <message>
        <source>Your appointment time has passed: you can take a walk-in ticket for the same service.</source>
        <translation>فات وقت موعدك: يمكنك أخذ تذكرة بدون موعد للخدمة نفسها.</translation>
    </message>
    <message>
        <source>Your appointment is on %1, not today.</source>
        <translation>موعدك بتاريخ %1 وليس اليوم.</translation>
    </message>
    <message>
        <source>You have already checked in: your ticket is %1.</source>
        <translation>سبق أن سجلت حضورك: رقم تذكرتك %1.</translation>
    </message>
    <message>
        <source>This appointment was cancelled. You can take a walk-in ticket.</source>
        <translation>تم إلغاء هذا الموعد. يمكنك أخذ تذكرة بدون موعد.</translation>
    </message>
    <message>
        <source>We found no appointment for you here today. You can take a walk-in ticket.</source>
        <translation>لم نجد لك موعداً هنا اليوم. يمكنك أخذ تذكرة بدون موعد.</translation>
    </message>
    <message>
        <source>This service is paused for now. Please ask at the reception desk.</source>
        <translation>هذه الخدمة متوقفة مؤقتاً. يرجى مراجعة مكتب الاستقبال.</translation>
    </message>
    <message>
        <source>This service has given all its tickets for today.</source>
        <translation>نفدت تذاكر هذه الخدمة لهذا اليوم.</translation>
    </message>
    <message>
        <source>A CPR number has 9 digits. Please check it.</source>
        <translation>الرقم الشخصي مكوّن من ٩ أرقام. يرجى التحقق منه.</translation>
    </message>
    <message>
        <source>This code is not a booking. Please scan your booking QR.</source>
        <translation>هذا الرمز ليس حجزاً. يرجى مسح رمز QR الخاص بحجزك.</translation>
    </message>
    <message>
        <source>You have several appointments: please choose one.</source>
        <translation>لديك أكثر من موعد: يرجى اختيار موعد.</translation>
    </message>
    <message>
        <source>The ticket system cannot be reached right now: please ask at the reception desk.</source>
        <translation>لا يمكن الوصول إلى نظام التذاكر الآن: يرجى مراجعة مكتب الاستقبال.</translation>
    </message>
    <message>
        <source>This kiosk is out of service: please ask at the reception desk.</source>
        <translation>هذا الجهاز خارج الخدمة: يرجى مراجعة مكتب الاستقبال.</translation>
    </message>
    <message>
        <source>A CPR number has 9 digits. Please type all of them.</source>
        <translation>الرقم الشخصي مكوّن من ٩ أرقام. يرجى إدخالها كلها.</translation>
    </message>
    <message>
        <source>The code could not be read. Please scan your booking QR again.</source>
        <translation>تعذرت قراءة الرمز. يرجى مسح رمز QR الخاص بحجزك مرة أخرى.</translation>
    </message>
    <message>
        <source>Wrong PIN.</source>
        <translation>رقم سري خاطئ.</translation>
    </message>
</context>
<context>
    <name>Refusals</name>
    <message>
        <source>The centre&apos;s database cannot be reached. Try again in a moment.</source>
        <translation>تعذّر الوصول إلى قاعدة بيانات المركز. حاول مرة أخرى بعد لحظات.</translation>
    </message>
    <message>
        <source>The centre cannot be reached. Try again in a moment.</source>
        <translation>تعذّر الوصول إلى المركز. حاول مرة أخرى بعد لحظات.</translation>
    </message>
    <message>
        <source>This device is no longer allowed to connect to the centre.</source>
        <translation>لم يعد مسموحًا لهذا الجهاز بالاتصال بالمركز.</translation>
    </message>
    <message>
        <source>Another terminal has just called a ticket here.</source>
        <translation>نودي للتو على تذكرة إلى هذا الكاونتر من جهاز آخر.</translation>
    </message>
    <message>
        <source>Ticket %1 was already dealt with at another terminal.</source>
        <translation>تم التعامل مع التذكرة %1 من جهاز آخر.</translation>
    </message>
    <message>
        <source>Wrong staff id or PIN.</source>
        <translation>رقم الموظف أو الرمز السري غير صحيح.</translation>
    </message>
    <message>
        <source>Wrong staff id or PIN. Wait %1 seconds before trying again.</source>
        <translation>رقم الموظف أو الرمز السري غير صحيح. انتظر %1 ثانية قبل المحاولة مرة أخرى.</translation>
    </message>
    <message>
        <source>Too many wrong PINs. Try again in %1 seconds.</source>
        <translation>محاولات خاطئة كثيرة. حاول مرة أخرى بعد %1 ثانية.</translation>
    </message>
    <message>
        <source>Too many tries from this device. Try again in %1 seconds.</source>
        <translation>محاولات كثيرة من هذا الجهاز. حاول مرة أخرى بعد %1 ثانية.</translation>
    </message>
    <message>
        <source>Only a supervisor can sign in here.</source>
        <translation>تسجيل الدخول هنا للمشرفين فقط.</translation>
    </message>
    <message>
        <source>A PIN is 4 to 8 digits.</source>
        <translation>الرمز السري من 4 إلى 8 أرقام.</translation>
    </message>
    <message>
        <source>There is no ticket at this counter now.</source>
        <translation>لا توجد تذكرة على هذا الكاونتر الآن.</translation>
    </message>
    <message>
        <source>Finish ticket %1 first: done, no-show or transfer.</source>
        <translation>أنهِ التذكرة %1 أولاً: إنهاء أو لم يحضر أو تحويل.</translation>
    </message>
    <message>
        <source>%1 is paused: it takes no tickets now.</source>
        <translation>خدمة «%1» متوقفة مؤقتًا: لا تستقبل تذاكر الآن.</translation>
    </message>
    <message>
        <source>Open the counter first: a break is taken from an open counter.</source>
        <translation>افتح الكاونتر أولاً: الاستراحة تكون من كاونتر مفتوح.</translation>
    </message>
    <message>
        <source>The Arabic message is too long: at most %1 characters.</source>
        <translation>الرسالة العربية طويلة: الحد الأقصى %1 حرفًا.</translation>
    </message>
    <message>
        <source>The English message is too long: at most %1 characters.</source>
        <translation>الرسالة الإنجليزية طويلة: الحد الأقصى %1 حرفًا.</translation>
    </message>
    <message>
        <source>There is no ticket %1 today.</source>
        <translation>لا توجد تذكرة %1 اليوم.</translation>
    </message>
    <message>
        <source>There is no such service here.</source>
        <translation>لا توجد هذه الخدمة هنا.</translation>
    </message>
    <message>
        <source>There is no counter %1 here.</source>
        <translation>لا يوجد كاونتر رقم %1 هنا.</translation>
    </message>
    <message>
        <source>There is no device %1 here.</source>
        <translation>لا يوجد جهاز باسم %1 هنا.</translation>
    </message>
    <message>
        <source>This is the device you are using: revoke it from another one.</source>
        <translation>هذا هو الجهاز الذي تستخدمه الآن: ألغِ صلاحيته من جهاز آخر.</translation>
    </message>
    <message>
        <source>The centre&apos;s rules do not allow this now.</source>
        <translation>لا تسمح أنظمة المركز بهذا الإجراء الآن.</translation>
    </message>
    <message>
        <source>That is not valid here.</source>
        <translation>هذا الإدخال غير صالح هنا.</translation>
    </message>
    <message>
        <source>That did not work. Try again.</source>
        <translation>لم تنجح العملية. حاول مرة أخرى.</translation>
    </message>
    <message>
        <source>Ticket %1 is being served: it can no longer be recalled.</source>
        <translation>التذكرة %1 قيد الخدمة: لا يمكن إعادة النداء عليها.</translation>
    </message>
    <message>
        <source>Ticket %1 is already being served.</source>
        <translation>التذكرة %1 قيد الخدمة بالفعل.</translation>
    </message>
    <message>
        <source>Start serving ticket %1 before marking it done.</source>
        <translation>ابدأ خدمة التذكرة %1 قبل إنهائها.</translation>
    </message>
    <message>
        <source>Ticket %1 is being served: it cannot be a no-show.</source>
        <translation>التذكرة %1 قيد الخدمة: لا يمكن تسجيلها عدم حضور.</translation>
    </message>
    <message>
        <source>Ticket %1 cannot be transferred to that service.</source>
        <translation>لا يمكن تحويل التذكرة %1 إلى تلك الخدمة.</translation>
    </message>
    <message>
        <source>Ticket %1 is not waiting: only a waiting ticket can be cancelled.</source>
        <translation>التذكرة %1 ليست في الانتظار: لا تُلغى إلا تذكرة في الانتظار.</translation>
    </message>
    <message>
        <source>Ticket %1 cannot do that now.</source>
        <translation>لا يمكن تنفيذ هذا الإجراء على التذكرة %1 الآن.</translation>
    </message>
</context>
<context>
    <name>ReportsTab</name>
    <message>
        <source>Yesterday</source>
        <translation>أمس</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>آخر 7 أيام</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>هذا الشهر</translation>
    </message>
    <message>
        <source>Last month</source>
        <translation>الشهر الماضي</translation>
    </message>
    <message>
        <source>From</source>
        <translation>من</translation>
    </message>
    <message>
        <source>To</source>
        <translation>إلى</translation>
    </message>
    <message>
        <source>Split by</source>
        <translation>التقسيم حسب</translation>
    </message>
    <message>
        <source>Export PDF…</source>
        <translation>تصدير PDF…</translation>
    </message>
    <message>
        <source>Export XLSX…</source>
        <translation>تصدير XLSX…</translation>
    </message>
    <message>
        <source>Visitors and served</source>
        <translation>المراجعون ومن تمت خدمتهم</translation>
    </message>
    <message>
        <source>Waits</source>
        <translation>الانتظار</translation>
    </message>
    <message>
        <source>Export the report as PDF</source>
        <translation>تصدير التقرير بصيغة PDF</translation>
    </message>
    <message>
        <source>PDF documents (*.pdf)</source>
        <translation>مستندات PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Export the report as XLSX</source>
        <translation>تصدير التقرير بصيغة XLSX</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>مصنفات Excel (*.xlsx)</translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation>المجلد:</translation>
    </message>
    <message>
        <source>File name:</source>
        <translation>اسم الملف:</translation>
    </message>
    <message>
        <source>Type:</source>
        <translation>النوع:</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>حفظ</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>إلغاء</translation>
    </message>
    <message>
        <source>Reading the report…</source>
        <translation>جارٍ إعداد التقرير…</translation>
    </message>
    <message>
        <source>Choose a period to see its figures.</source>
        <translation>اختر فترة لعرض أرقامها.</translation>
    </message>
</context>
<context>
    <name>ReportsViewModel</name>
    <message>
        <source>There is no such split.</source>
        <translation>لا يوجد تقسيم بهذا الاسم.</translation>
    </message>
    <message>
        <source>The period starts after it ends: choose the dates again.</source>
        <translation>تبدأ الفترة بعد نهايتها: اختر التاريخين من جديد.</translation>
    </message>
    <message>
        <source>Show a report first, then export it.</source>
        <translation>اعرض تقريراً أولاً ثم صدّره.</translation>
    </message>
    <message>
        <source>The centre cannot report on that period: choose a shorter one.</source>
        <translation>لا يستطيع المركز إعداد تقرير عن هذه الفترة: اختر فترة أقصر.</translation>
    </message>
    <message>
        <source>Saved %1.</source>
        <translation>حُفظ الملف %1.</translation>
    </message>
    <message>
        <source>Cannot write %1: choose another folder or name.</source>
        <translation>تعذّرت كتابة %1: اختر مجلداً أو اسماً آخر.</translation>
    </message>
</context>
<context>
    <name>SignInForm</name>
    <message>
        <source>Type your staff id and PIN.</source>
        <translation>اكتب رقم الموظف والرمز السري.</translation>
    </message>
    <message>
        <source>Staff id</source>
        <translation>رقم الموظف</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>الرمز السري</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>تسجيل الدخول</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>مسح</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>حذف</translation>
    </message>
</context>
<context>
    <name>SupervisorViewModel</name>
    <message>
        <source>Signed out after %1 minutes without activity.</source>
        <extracomment>Signed out after this long without a key or a click (a supervisor walks away).</extracomment>
        <translation>تم تسجيل الخروج بعد %1 دقيقة دون أي نشاط.</translation>
    </message>
    <message>
        <source>%1 is paused: the kiosk gives no tickets for it.</source>
        <translation>تم إيقاف خدمة «%1» مؤقتًا: لن يصدر الجهاز الذاتي تذاكر لها.</translation>
    </message>
    <message>
        <source>%1 takes tickets again.</source>
        <translation>عادت خدمة «%1» إلى استقبال التذاكر.</translation>
    </message>
    <message>
        <source>The hall screens show the message.</source>
        <translation>تظهر الرسالة الآن على شاشات القاعة.</translation>
    </message>
    <message>
        <source>The hall message is cleared.</source>
        <translation>تمت إزالة رسالة القاعة.</translation>
    </message>
    <message>
        <source>A counter must call at least one service.</source>
        <translation>يجب أن ينادي الكاونتر خدمة واحدة على الأقل.</translation>
    </message>
    <message>
        <source>Counter %1 calls its configured services again.</source>
        <translation>عاد الكاونتر %1 إلى خدماته المعتادة.</translation>
    </message>
    <message>
        <source>, </source>
        <translation>، </translation>
    </message>
    <message>
        <source>Counter %1 now calls: %2.</source>
        <translation>الكاونتر %1 ينادي الآن: %2.</translation>
    </message>
    <message>
        <source>Ticket %1 is cancelled.</source>
        <translation>تم إلغاء التذكرة %1.</translation>
    </message>
    <message>
        <source>Ticket %1 was printed again.</source>
        <translation>أُعيدت طباعة التذكرة %1.</translation>
    </message>
    <message>
        <source>%1 is revoked: it can no longer reach the centre.</source>
        <translation>أُلغيت صلاحية الجهاز %1: لم يعد بإمكانه الاتصال بالمركز.</translation>
    </message>
    <message>
        <source>Type a ticket number first.</source>
        <translation>اكتب رقم التذكرة أولاً.</translation>
    </message>
    <message>
        <source>The ticket did not print. Check the printer and try again.</source>
        <translation>لم تُطبع التذكرة. تحقق من الطابعة وحاول مرة أخرى.</translation>
    </message>
</context>
<context>
    <name>SupervisorWindow</name>
    <message>
        <source>Pause %1? The kiosk stops giving its tickets; those waiting are still called.</source>
        <translation>إيقاف خدمة «%1» مؤقتًا؟ يتوقف الجهاز الذاتي عن إصدار تذاكرها، ويستمر النداء على المنتظرين.</translation>
    </message>
    <message>
        <source>Pause it</source>
        <translation>أوقفها مؤقتًا</translation>
    </message>
    <message>
        <source>Go back</source>
        <translation>رجوع</translation>
    </message>
    <message>
        <source>Cancel ticket %1? Its visitor loses their place; this cannot be undone.</source>
        <translation>إلغاء التذكرة %1؟ سيفقد المراجع دوره، ولا يمكن التراجع عن ذلك.</translation>
    </message>
    <message>
        <source>Cancel the ticket</source>
        <translation>إلغاء التذكرة</translation>
    </message>
    <message>
        <source>Keep it</source>
        <translation>الإبقاء عليها</translation>
    </message>
    <message>
        <source>Revoke %1? That display stops at once and must be paired again.</source>
        <translation>إلغاء صلاحية %1؟ تتوقف هذه الشاشة فورًا ويجب ربطها من جديد.</translation>
    </message>
    <message>
        <source>Revoke %1? That device stops at once and needs a new token to connect again.</source>
        <translation>إلغاء صلاحية %1؟ يتوقف هذا الجهاز فورًا ويحتاج إلى رمز وصول جديد ليتصل مرة أخرى.</translation>
    </message>
    <message>
        <source>Revoke it</source>
        <translation>إلغاء الصلاحية</translation>
    </message>
    <message>
        <source>Keep it connected</source>
        <translation>إبقاؤه متصلًا</translation>
    </message>
    <message>
        <source>Taboor — supervisor — %1</source>
        <translation>طابور — المشرف — %1</translation>
    </message>
    <message>
        <source>Queues</source>
        <translation>الطوابير</translation>
    </message>
    <message>
        <source>Counters</source>
        <translation>الكاونترات</translation>
    </message>
    <message>
        <source>Offline: reconnecting…</source>
        <translation>غير متصل: جارٍ إعادة الاتصال…</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>تسجيل الخروج</translation>
    </message>
    <message>
        <source>%1 to look at</source>
        <translation>%1 بحاجة إلى متابعة</translation>
    </message>
    <message>
        <source>Health</source>
        <translation>حالة الأنظمة</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>اليوم</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>الإجراءات</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>التقارير</translation>
    </message>
    <message>
        <source>Please wait…</source>
        <translation>يرجى الانتظار…</translation>
    </message>
    <message>
        <source>Very unhappy</source>
        <extracomment>A device of the centre server not heard from for this long is shown as silent.</extracomment>
        <translation>غير راضٍ إطلاقاً</translation>
    </message>
    <message>
        <source>Unhappy</source>
        <translation>غير راضٍ</translation>
    </message>
    <message>
        <source>Neutral</source>
        <translation>محايد</translation>
    </message>
    <message>
        <source>Happy</source>
        <translation>راضٍ</translation>
    </message>
    <message>
        <source>Very happy</source>
        <translation>راضٍ جداً</translation>
    </message>
    <message>
        <source>Central link: online</source>
        <translation>الربط المركزي: متصل</translation>
    </message>
    <message>
        <source>Central link: offline</source>
        <translation>الربط المركزي: غير متصل</translation>
    </message>
    <message>
        <source>Central link: credentials refused</source>
        <translation>الربط المركزي: رُفضت بيانات الاعتماد</translation>
    </message>
    <message>
        <source>Central link: not set up</source>
        <translation>الربط المركزي: غير مُعدّ</translation>
    </message>
    <message>
        <source>Supervisor sign-in</source>
        <translation>تسجيل دخول المشرف</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>مسح</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>الخدمة</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>في الانتظار</translation>
    </message>
    <message>
        <source>Longest wait</source>
        <translation>أطول انتظار</translation>
    </message>
    <message>
        <source>Estimate</source>
        <translation>الانتظار المتوقع</translation>
    </message>
    <message>
        <source>Served</source>
        <translation>تمت خدمتهم</translation>
    </message>
    <message>
        <source>No-shows</source>
        <translation>لم يحضروا</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>الحالة</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 دقيقة</translation>
    </message>
    <message>
        <source>Over the %1 min limit</source>
        <translation>تجاوز حد %1 دقيقة</translation>
    </message>
    <message>
        <source>Near the %1 min limit</source>
        <translation>يقترب من حد %1 دقيقة</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>متوقفة مؤقتًا</translation>
    </message>
    <message>
        <source>On time</source>
        <translation>ضمن الوقت</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>الكاونتر</translation>
    </message>
    <message>
        <source>State</source>
        <translation>الوضع</translation>
    </message>
    <message>
        <source>Clerk</source>
        <translation>الموظف</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>الخدمات</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>التذكرة</translation>
    </message>
    <message>
        <source>Elapsed</source>
        <translation>المدة</translation>
    </message>
    <message>
        <source>Satisfaction</source>
        <translation>الرضا</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>مغلق</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>مفتوح</translation>
    </message>
    <message>
        <source>On a break</source>
        <translation>في استراحة</translation>
    </message>
    <message>
        <source>Calling</source>
        <translation>جارٍ النداء</translation>
    </message>
    <message>
        <source>Serving</source>
        <translation>قيد الخدمة</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>الصادرة</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>الملغاة</translation>
    </message>
    <message>
        <source>Left by phone</source>
        <translation>غادروا من الهاتف</translation>
    </message>
    <message>
        <source>Tickets per hour</source>
        <translation>التذاكر في كل ساعة</translation>
    </message>
    <message>
        <source>Visitors&apos; satisfaction</source>
        <translation>رضا المراجعين</translation>
    </message>
    <message>
        <source>Average</source>
        <translation>المتوسط</translation>
    </message>
    <message>
        <source>Ratings</source>
        <translation>التقييمات</translation>
    </message>
    <message>
        <source>No ratings yet today.</source>
        <translation>لا توجد تقييمات اليوم بعد.</translation>
    </message>
    <message>
        <source>All services: %1 of 5 (ratings: %2)</source>
        <translation>جميع الخدمات: %1 من 5 (عدد التقييمات: %2)</translation>
    </message>
    <message>
        <source>Central booking system</source>
        <translation>نظام المواعيد المركزي</translation>
    </message>
    <message>
        <source>Printers and devices</source>
        <translation>الطابعات والأجهزة</translation>
    </message>
    <message>
        <source>Events the central refused</source>
        <translation>أحداث رفضها النظام المركزي</translation>
    </message>
    <message>
        <source>Needs your attention</source>
        <translation>بحاجة إلى انتباهك</translation>
    </message>
    <message>
        <source>No device has reported yet.</source>
        <translation>لم يُبلغ أي جهاز عن حالته بعد.</translation>
    </message>
    <message>
        <source>Devices of the centre</source>
        <translation>أجهزة المركز</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>الجهاز</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>الدور</translation>
    </message>
    <message>
        <source>Last heard</source>
        <translation>آخر اتصال</translation>
    </message>
    <message>
        <source>Revoke…</source>
        <translation>إلغاء الصلاحية…</translation>
    </message>
    <message>
        <source>Integrations (webhooks)</source>
        <translation>الأنظمة المرتبطة (webhooks)</translation>
    </message>
    <message>
        <source>Receiver</source>
        <translation>الجهة المستقبِلة</translation>
    </message>
    <message>
        <source>Failures</source>
        <translation>مرات الإخفاق</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>آخر خطأ</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>التفاصيل</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>منذ</translation>
    </message>
    <message>
        <source>never</source>
        <translation>لم يحدث بعد</translation>
    </message>
    <message>
        <source>Events waiting to be sent: %1 · last success: %2</source>
        <translation>أحداث بانتظار الإرسال: %1 · آخر اتصال ناجح: %2</translation>
    </message>
    <message>
        <source>Events refused: %1</source>
        <translation>الأحداث المرفوضة: %1</translation>
    </message>
    <message>
        <source>None: the central took every event.</source>
        <translation>لا شيء: استقبل النظام المركزي جميع الأحداث.</translation>
    </message>
    <message>
        <source>Tickets given while offline whose booking is still to be checked: %1</source>
        <translation>تذاكر صدرت أثناء انقطاع الاتصال ولم يُتحقق من حجزها بعد: %1</translation>
    </message>
    <message>
        <source>Nothing to look at.</source>
        <translation>لا يوجد ما يستدعي المتابعة.</translation>
    </message>
    <message>
        <source>Printer</source>
        <translation>طابعة</translation>
    </message>
    <message>
        <source>%1, counter %2</source>
        <translation>%1، الشباك %2</translation>
    </message>
    <message>
        <source>waiting to be paired</source>
        <translation>بانتظار الربط</translation>
    </message>
    <message>
        <source>You are signed in on it</source>
        <translation>أنت مسجّل الدخول عليه</translation>
    </message>
    <message>
        <source>Kiosk</source>
        <translation>جهاز الخدمة الذاتية</translation>
    </message>
    <message>
        <source>Hall screen</source>
        <translation>شاشة القاعة</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>المشرف</translation>
    </message>
    <message>
        <source>Integration</source>
        <translation>نظام مرتبط</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>سليم</translation>
    </message>
    <message>
        <source>Paper low</source>
        <translation>الورق قارب على النفاد</translation>
    </message>
    <message>
        <source>Out of paper</source>
        <translation>نفد الورق</translation>
    </message>
    <message>
        <source>Cover open</source>
        <translation>الغطاء مفتوح</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>غير متصل</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>عطل</translation>
    </message>
    <message>
        <source>ticket %1 (%2)</source>
        <translation>التذكرة %1 (%2)</translation>
    </message>
    <message>
        <source>%1  The booking %2 of ticket %3 was cancelled centrally after check-in.</source>
        <translation>%1  أُلغي الحجز %2 للتذكرة %3 مركزيًا بعد تسجيل الحضور.</translation>
    </message>
    <message>
        <source>%1  Ticket %2 did not print (%3).</source>
        <translation>%1  لم تُطبع التذكرة %2 (%3).</translation>
    </message>
    <message>
        <source>Pause or resume a service</source>
        <translation>إيقاف خدمة مؤقتًا أو استئنافها</translation>
    </message>
    <message>
        <source>Reason (optional)</source>
        <translation>السبب (اختياري)</translation>
    </message>
    <message>
        <source>Message on the hall screens</source>
        <translation>رسالة على شاشات القاعة</translation>
    </message>
    <message>
        <source>Arabic</source>
        <translation>العربية</translation>
    </message>
    <message>
        <source>English</source>
        <translation>الإنجليزية</translation>
    </message>
    <message>
        <source>Show on the hall</source>
        <translation>اعرضها في القاعة</translation>
    </message>
    <message>
        <source>A counter&apos;s services today</source>
        <translation>خدمات الكاونتر لهذا اليوم</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>تطبيق</translation>
    </message>
    <message>
        <source>Reset to configured</source>
        <translation>العودة إلى الإعداد الأصلي</translation>
    </message>
    <message>
        <source>A ticket</source>
        <translation>تذكرة</translation>
    </message>
    <message>
        <source>Ticket number, e.g. A023</source>
        <translation>رقم التذكرة، مثل A023</translation>
    </message>
    <message>
        <source>Cancel ticket…</source>
        <translation>إلغاء التذكرة…</translation>
    </message>
    <message>
        <source>Print again</source>
        <translation>إعادة الطباعة</translation>
    </message>
    <message>
        <source>Counter %1</source>
        <translation>الكاونتر %1</translation>
    </message>
    <message>
        <source>No message: the hall shows its usual footer.</source>
        <translation>لا توجد رسالة: تعرض القاعة عبارتها المعتادة.</translation>
    </message>
    <message>
        <source>The hall shows a message now.</source>
        <translation>تعرض القاعة رسالة الآن.</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>استئناف</translation>
    </message>
    <message>
        <source>Pause…</source>
        <translation>إيقاف مؤقت…</translation>
    </message>
    <message>
        <source>Paused: %1</source>
        <translation>متوقفة مؤقتًا: %1</translation>
    </message>
    <message>
        <source>Paused: the kiosk gives no tickets for it.</source>
        <translation>متوقفة مؤقتًا: لا يصدر الجهاز الذاتي تذاكر لها.</translation>
    </message>
    <message>
        <source>Taking tickets.</source>
        <translation>تستقبل التذاكر.</translation>
    </message>
    <message>
        <source>As configured.</source>
        <translation>حسب الإعداد الأصلي.</translation>
    </message>
    <message>
        <source>Changed for today.</source>
        <translation>معدّلة لهذا اليوم.</translation>
    </message>
</context>
<context>
    <name>TransferChooser</name>
    <message>
        <source>Send the ticket to which service?</source>
        <translation>إلى أي خدمة تُحوَّل التذكرة؟</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>تحويل</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>إلغاء</translation>
    </message>
</context>
</TS>
